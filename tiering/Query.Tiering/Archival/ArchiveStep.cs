namespace Query.Tiering.Archival;

/// <summary>The steps of archiving one segment, in order; fault injection can stop at any of them.</summary>
public enum ArchiveStep
{
    /// <summary>Before a cold file is written under its temporary name.</summary>
    WriteFile,

    /// <summary>After the temporary file is written, before it is fsynced.</summary>
    SyncFile,

    /// <summary>Before the temporary file is renamed to its final name.</summary>
    RenameFile,

    /// <summary>Before the folders holding the renamed files are fsynced.</summary>
    SyncDirectory,

    /// <summary>Before the new manifest is written.</summary>
    WriteManifest,

    /// <summary>After the new manifest is written and fsynced under a temporary name, before the rename.</summary>
    RenameManifest,

    /// <summary>After the manifest is committed, before the hot segments below it are deleted.</summary>
    ReleaseHot,
}
