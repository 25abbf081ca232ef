namespace Query.Engine.SystemCatalog;

/// <summary>pg_index, pg_constraint and the relations clients join to them (pg_attrdef, pg_inherits, pg_am).</summary>
public static partial class PgCatalog
{
    private static IEnumerable<object?[]> Indexes(CatalogSnapshot s)
    {
        foreach (var relation in s.Relations)
        {
            if (relation.KeyIndexOid == 0 || relation.Definition.KeyColumn < 0)
                continue;
            var keys = AttributeNumbers(relation.Definition);
            yield return
            [
                relation.KeyIndexOid, relation.Oid, keys.Length, keys.Length, true, false, true, false, true, false,
                true, false, true, true, false, keys, new int[keys.Length], Enumerable.Repeat(1978, keys.Length)
                    .ToArray(), new int[keys.Length], null, null,
            ];
        }
    }

    /// <summary>The key columns' attribute numbers (from 1), in key order: a composite key lists several.</summary>
    private static int[] AttributeNumbers(Catalog.StreamDefinition definition)
    {
        var keys = new int[definition.KeyColumns.Count];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = definition.KeyColumns[i] + 1;
        return keys;
    }

    private static IEnumerable<object?[]> Constraints(CatalogSnapshot s)
    {
        foreach (var relation in s.Relations)
        {
            if (relation.KeyConstraintOid == 0 || relation.Definition.KeyColumn < 0)
                continue;
            yield return
            [
                relation.KeyConstraintOid, relation.Definition.Name + "_pkey", CatalogSnapshot.PublicNamespace, 'p',
                false, false, true, relation.Oid, 0, relation.KeyIndexOid, 0, 0, ' ', ' ', ' ', true, 0, true,
                AttributeNumbers(relation.Definition), null, null, null, null, null, null, null,
            ];
        }
    }

    private static readonly SystemRelation IndexRelation = new("pg_catalog", "pg_index", 2610, 'r',
        "indexrelid:oid, indrelid:oid, indnatts:int2, indnkeyatts:int2, indisunique:bool, "
        + "indnullsnotdistinct:bool, indisprimary:bool, indisexclusion:bool, indimmediate:bool, "
        + "indisclustered:bool, indisvalid:bool, indcheckxmin:bool, indisready:bool, indislive:bool, "
        + "indisreplident:bool, indkey:int2vector, indcollation:oidvector, indclass:oidvector, "
        + "indoption:int2vector, indexprs:text, indpred:text", Indexes);

    private static readonly SystemRelation ConstraintRelation = new("pg_catalog", "pg_constraint", 2606, 'r',
        "oid:oid, conname:name, connamespace:oid, contype:char, condeferrable:bool, condeferred:bool, "
        + "convalidated:bool, conrelid:oid, contypid:oid, conindid:oid, conparentid:oid, confrelid:oid, "
        + "confupdtype:char, confdeltype:char, confmatchtype:char, conislocal:bool, coninhcount:int4, "
        + "connoinherit:bool, conkey:int2[], confkey:int2[], conpfeqop:oid[], conppeqop:oid[], conffeqop:oid[], "
        + "confdelsetcols:int2[], conexclop:oid[], conbin:text", Constraints);

    private static readonly SystemRelation AccessMethodRelation = new("pg_catalog", "pg_am", 2601, 'r',
        "oid:oid, amname:name, amhandler:regproc, amtype:char",
        _ => [[2, "heap", "heap_tableam_handler", 't'], [403, "btree", "bthandler", 'i'],
            [405, "hash", "hashhandler", 'i']]);

    /// <summary>Every function is <c>internal</c> (pg_proc.prolang 12); psql's and pgcli's <c>\df+</c> join here.</summary>
    private static readonly SystemRelation LanguageRelation = new("pg_catalog", "pg_language", 2612, 'r',
        "oid:oid, lanname:name, lanowner:oid, lanispl:bool, lanpltrusted:bool, lanplcallfoid:oid, laninline:oid, "
        + "lanvalidator:oid, lanacl:aclitem[]",
        _ => [[12, "internal", 10, false, false, 0, 0, 2246, null], [13, "c", 10, false, false, 0, 0, 2247, null],
            [14, "sql", 10, false, true, 0, 0, 2248, null]]);

    private static readonly SystemRelation AttributeDefaultRelation = new("pg_catalog", "pg_attrdef", 2604, 'r',
        "oid:oid, adrelid:oid, adnum:int2, adbin:text", _ => []);

    private static readonly SystemRelation InheritsRelation = new("pg_catalog", "pg_inherits", 2611, 'r',
        "inhrelid:oid, inhparent:oid, inhseqno:int4, inhdetachpending:bool", _ => []);

    private static readonly SystemRelation DescriptionRelation = new("pg_catalog", "pg_description", 2609, 'r',
        "objoid:oid, classoid:oid, objsubid:int4, description:text", _ => []);

    private static readonly SystemRelation RangeRelation = new("pg_catalog", "pg_range", 3541, 'r',
        "rngtypid:oid, rngsubtype:oid, rngmultitypid:oid, rngcollation:oid, rngsubopc:oid, rngcanonical:regproc, "
        + "rngsubdiff:regproc", _ => []);

    private static readonly SystemRelation EnumRelation = new("pg_catalog", "pg_enum", 3501, 'r',
        "oid:oid, enumtypid:oid, enumsortorder:float4, enumlabel:name", _ => []);

    private static readonly SystemRelation CollationRelation = new("pg_catalog", "pg_collation", 3456, 'r',
        "oid:oid, collname:name, collnamespace:oid, collowner:oid, collprovider:char, collisdeterministic:bool, "
        + "collencoding:int4, collcollate:text, collctype:text, colliculocale:text, collversion:text",
        _ => [[100, "default", 11, 10, 'd', true, -1, null, null, null, null],
            [950, "C", 11, 10, 'c', true, -1, "C", "C", null, null],
            [951, "POSIX", 11, 10, 'c', true, -1, "POSIX", "POSIX", null, null]]);

    private static readonly SystemRelation ExtensionRelation = new("pg_catalog", "pg_extension", 3079, 'r',
        "oid:oid, extname:name, extowner:oid, extnamespace:oid, extrelocatable:bool, extversion:text, "
        + "extconfig:oid[], extcondition:text[]", _ => []);

    /// <summary>Relations PostgreSQL has and we have nothing in: psql's <c>\d name</c> and pgcli read them.</summary>
    private static readonly SystemRelation[] EmptyRelations =
    [
        new("pg_catalog", "pg_policy", 3256, 'r',
            "oid:oid, polname:name, polrelid:oid, polcmd:char, polpermissive:bool, polroles:oid[], polqual:text, "
            + "polwithcheck:text", _ => []),
        new("pg_catalog", "pg_statistic_ext", 3381, 'r',
            "oid:oid, stxrelid:oid, stxname:name, stxnamespace:oid, stxowner:oid, stxstattarget:int4, "
            + "stxkeys:int2vector, stxkind:char[], stxexprs:text", _ => []),
        new("pg_catalog", "pg_publication", 6104, 'r',
            "oid:oid, pubname:name, pubowner:oid, puballtables:bool, pubinsert:bool, pubupdate:bool, "
            + "pubdelete:bool, pubtruncate:bool, pubviaroot:bool", _ => []),
        new("pg_catalog", "pg_publication_rel", 6106, 'r',
            "oid:oid, prpubid:oid, prrelid:oid, prqual:text, prattrs:int2vector", _ => []),
        new("pg_catalog", "pg_publication_namespace", 6237, 'r', "oid:oid, pnpubid:oid, pnnspid:oid", _ => []),
        new("pg_catalog", "pg_trigger", 2620, 'r',
            "oid:oid, tgrelid:oid, tgparentid:oid, tgname:name, tgfoid:oid, tgtype:int2, tgenabled:char, "
            + "tgisinternal:bool, tgconstrrelid:oid, tgconstrindid:oid, tgconstraint:oid, tgdeferrable:bool, "
            + "tginitdeferred:bool, tgnargs:int2, tgattr:int2vector, tgargs:text, tgqual:text", _ => []),
        new("pg_catalog", "pg_rewrite", 2618, 'r',
            "oid:oid, rulename:name, ev_class:oid, ev_type:char, ev_enabled:char, is_instead:bool, ev_qual:text, "
            + "ev_action:text", _ => []),
        new("pg_catalog", "pg_depend", 2608, 'r',
            "classid:oid, objid:oid, objsubid:int4, refclassid:oid, refobjid:oid, refobjsubid:int4, deptype:char",
            _ => []),
        new("pg_catalog", "pg_sequence", 2224, 'r',
            "seqrelid:oid, seqtypid:oid, seqstart:int8, seqincrement:int8, seqmax:int8, seqmin:int8, "
            + "seqcache:int8, seqcycle:bool", _ => []),
        new("pg_catalog", "pg_auth_members", 1261, 'r',
            "roleid:oid, member:oid, grantor:oid, admin_option:bool", _ => []),
        new("pg_catalog", "pg_foreign_table", 3118, 'r', "ftrelid:oid, ftserver:oid, ftoptions:text[]", _ => []),
        new("pg_catalog", "pg_partitioned_table", 3350, 'r',
            "partrelid:oid, partstrat:char, partnatts:int2, partdefid:oid, partattrs:int2vector", _ => []),
        new("pg_catalog", "pg_event_trigger", 3466, 'r',
            "oid:oid, evtname:name, evtevent:name, evtowner:oid, evtfoid:oid, evtenabled:char", _ => []),
        new("pg_catalog", "pg_opclass", 2616, 'r',
            "oid:oid, opcmethod:oid, opcname:name, opcnamespace:oid, opcowner:oid, opcfamily:oid, opcintype:oid, "
            + "opcdefault:bool, opckeytype:oid", _ => []),
    ];
}
