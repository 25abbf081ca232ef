namespace Query.Tiering.Compaction;

/// <summary>The steps of merging one run of cold files, in order; fault injection can stop at any of them.</summary>
public enum CompactionStep
{
    /// <summary>Before the merged file is written under its temporary name.</summary>
    WriteFile,

    /// <summary>After the merged file is written, before it is fsynced.</summary>
    SyncFile,

    /// <summary>Before the merged file is renamed to its final name.</summary>
    RenameFile,

    /// <summary>Before the folder holding it is fsynced.</summary>
    SyncDirectory,

    /// <summary>Before the new manifest is written.</summary>
    WriteManifest,

    /// <summary>After the new manifest is written and fsynced under a temporary name, before the rename.</summary>
    RenameManifest,

    /// <summary>After the manifest is committed, before the replaced files are handed over for deletion.</summary>
    DeleteReplaced,
}
