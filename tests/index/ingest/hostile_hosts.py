"""Host spellings of non-public addresses, shared by the fetcher's and the bot's tests."""

# Hosts that all mean a non-public address once normalised as yarl/aiohttp (and libc) read them.
HOSTILE_HOSTS = [
    "127。0。0。1",  # U+3002 ideographic full stop
    "127．0．0．1",  # U+FF0E fullwidth full stop
    "127｡0｡0｡1",  # U+FF61 halfwidth ideographic full stop
    "１２７.０.０.１",  # fullwidth digits
    "①②⑦.0.0.1",  # circled digits
    "¹²⁷.⁰.⁰.¹",  # superscript digits
    "𝟏𝟐𝟕.𝟎.𝟎.𝟏",  # mathematical bold digits
    "１２7｡0．０。1",  # mixed scripts and stops
    "127.0.0.1.",  # trailing dot
    "127.0.0.1..",
    "１２７.０.０.１。",  # trailing ideographic full stop
    "%31%32%37.0.0.1",  # percent-encoded
    "127.0.0.%31",
    "%2531%2532%2537.0.0.1",  # encoded twice
    "2130706433",  # decimal integer
    "２１３０７０６４３３",  # the same in fullwidth digits
    "0x7f.1",  # hex
    "0x7f000001",
    "0177.0.0.1",  # octal
    "０１７７.0.0.1",
    "127.1",
    "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
    "[::ffff:7f00:1]",
    "[::1]",
    "[::1%25lo]",  # IPv6 zone ids
    "[fe80::1%25lo]",
    "[::ffff:127.0.0.1%25eth0]",
    "ＬＯＣＡＬＨＯＳＴ",  # fullwidth letters
    "localhost.",
    "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ",  # circled letters
]
# Spellings that reach the loopback server when private addresses are allowed (the controls).
REACHABLE_WHEN_ALLOWED = [
    "127。0。0。1",
    "１２７.０.０.１",
    "①②⑦.0.0.1",
    "¹²⁷.⁰.⁰.¹",
    "１２7｡0．０。1",
    "0x7f.1",
]
