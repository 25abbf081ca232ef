namespace Query.Engine.Functions;

/// <summary>PostgreSQL's trim functions with a set of characters: <c>btrim</c>, <c>ltrim</c>, <c>rtrim</c> (and
/// <c>TRIM([BOTH | LEADING | TRAILING] chars FROM x)</c>, which the grammar turns into them).</summary>
public static class PgStringFunctions
{
    public static string BTrim(string text, string characters) => text.Trim(characters.ToCharArray());

    public static string LTrim(string text, string characters) => text.TrimStart(characters.ToCharArray());

    public static string RTrim(string text, string characters) => text.TrimEnd(characters.ToCharArray());

    public static string BTrimSpaces(string text) => text.Trim(' ');
}
