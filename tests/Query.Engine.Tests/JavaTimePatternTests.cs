using Query.Engine.Functions;

namespace Query.Engine.Tests;

/// <summary>Java date-time patterns with zones, as ksqlDB's time functions and TIMESTAMP_FORMAT read and write
/// them.</summary>
public sealed class JavaTimePatternTests
{
    private const long May11 = 1_526_075_913_000;   // 2018-05-11 21:58:33 UTC

    [Theory]
    [InlineData("yyyy-MM-dd HH:mm:ss zzz", "America/Los_Angeles", "2018-05-11 14:58:33 PDT")]
    [InlineData("yyyy-MM-dd HH:mm:ss z", "UTC", "2018-05-11 21:58:33 UTC")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ssX", "UTC", "2018-05-11T21:58:33Z")]
    [InlineData("HH:mmX", "America/Los_Angeles", "14:58-07")]
    [InlineData("HH:mmXXX", "Asia/Kolkata", "03:28+05:30")]
    [InlineData("HH:mmZ", "America/Los_Angeles", "14:58-0700")]
    [InlineData("HH 'o''clock' ''", "UTC", "21 o'clock '")]
    public void Formats_zones_as_java_does(string pattern, string zone, string expected) =>
        Assert.Equal(expected, TimeFunctions.FormatTimestamp(May11, pattern, zone));

    [Theory]
    [InlineData("2018-05-11T21:58:33Z", "yyyy-MM-dd'T'HH:mm:ssX", May11)]
    [InlineData("10-04-19 12:00:17Z", "yy-MM-dd HH:mm:ssX", 1_271_678_417_000)]
    [InlineData("2018-05-11T14:58:33-0700", "yyyy-MM-dd'T'HH:mm:ssZ", May11)]
    [InlineData("2018-05-11T14:58:33-07:00", "yyyy-MM-dd'T'HH:mm:ssXXX", May11)]
    [InlineData("2018-05-11T14:58:33-07", "yyyy-MM-dd'T'HH:mm:ssX", May11)]
    [InlineData("2018-05-11 21:58:33", "yyyy-MM-dd HH:mm:ss", May11)]
    public void Parses_offsets_in_every_java_form(string text, string pattern, long expected) =>
        Assert.Equal(expected, TimeFunctions.ParseTimestamp(text, pattern));

    [Fact]
    public void Text_that_does_not_match_is_null() =>
        Assert.Null(TimeFunctions.ParseTimestamp("!!!!!!!!!!!!!!!!!", "yy-MM-dd HH:mm:ssX"));
}
