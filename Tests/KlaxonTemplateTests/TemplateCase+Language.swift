// Expected outputs recorded from promtool 2.42.0 (`promtool test rules`) expanding each
// template for a series m{idx, instance="host:9090", job="api"} with the given value.
extension TemplateCase {
    /// Template syntax, control flow, functions and their error messages.
    static let language: [TemplateCase] = [
        TemplateCase("{{ $labels.job }}", 42, 24, "api"),
        TemplateCase("{{ .Labels.instance }}", 42, 24, "host:9090"),
        TemplateCase("[{{ $labels.missing }}]", 42, 24, "[]"),
        TemplateCase("{{ $labels }}", 42, 24, "map[__name__:m idx:24 instance:host:9090 job:api]"),
        TemplateCase("{{ $externalLabels }}", 42, 24, "map[]"),
        TemplateCase("{{ toUpper $labels.job }}", 42, 24, "API"),
        TemplateCase("{{ $labels.job | toUpper }}", 42, 24, "API"),
        TemplateCase("{{ title \"hello world-foo_bar o'neil\" }}", 42, 24, "Hello World-Foo_bar O'Neil"),
        TemplateCase("{{ toLower \"ABC Def\" }}", 42, 24, "abc def"),
        TemplateCase("{{ reReplaceAll \"(.*):(\\\\d+)\" \"$1\" $labels.instance }}", 42, 24, "host"),
        TemplateCase("{{ reReplaceAll \":.*\" \"\" $labels.instance }}", 42, 24, "host"),
        TemplateCase(
            "{{ reReplaceAll \"(?P<host>[^:]+):(?P<port>\\\\d+)\" \"${port}@${host} $$ $2x $9\" $labels.instance }}",
            42, 24, "9090@host $  "),
        TemplateCase("{{ stripPort $labels.instance }}", 42, 24, "host"),
        TemplateCase(
            "{{ stripPort \"[::1]:80\" }}|{{ stripPort \"nohost\" }}|{{ stripPort \"a:b:c\" }}", 42, 24,
            "::1|nohost|a:b:c"),
        TemplateCase("{{ match \"^ap\" $labels.job }} {{ match \"^x\" $labels.job }}", 42, 24, "true false"),
        TemplateCase("{{ if eq $labels.job \"api\" }}yes{{ else }}no{{ end }}", 42, 24, "yes"),
        TemplateCase("{{ if and (gt $value 10.0) (lt $value 100.0) }}mid{{ else }}out{{ end }}", 42, 24, "mid"),
        TemplateCase("{{ if or false \"\" 0 }}t{{ else }}f{{ end }}", 42, 24, "f"),
        TemplateCase("{{ not true }} {{ not \"\" }}", 42, 24, "false true"),
        TemplateCase("{{ and 1 0 2 }} {{ or 0 \"\" \"x\" }} {{ and 1 2 }}", 42, 24, "0 x 2"),
        TemplateCase("{{ with $labels.job }}job={{ . }}{{ end }}", 42, 24, "job=api"),
        TemplateCase("{{ with $labels.missing }}x{{ else }}none{{ end }}", 42, 24, "none"),
        TemplateCase(
            "{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}", 42, 24,
            "__name__=m;idx=24;instance=host:9090;job=api;"),
        TemplateCase("{{ range $labels }}{{ . }},{{ end }}", 42, 24, "m,24,host:9090,api,"),
        TemplateCase(
            "{{ range $k, $v := $labels }}{{ if eq $k \"instance\" }}{{ continue }}{{ end }}{{ if eq $k \"job\" }}{{ break }}{{ end }}{{ $k }} {{ end }}",
            42, 24, "__name__ idx "),
        TemplateCase("{{ range $externalLabels }}x{{ else }}empty{{ end }}", 42, 24, "empty"),
        TemplateCase("a {{- \" b \" -}} c", 42, 24, "a b c"),
        TemplateCase("x  {{- 1 }}  {{- 2 -}}  y", 42, 24, "x12y"),
        TemplateCase("{{/* comment */}}z", 42, 24, "z"),
        TemplateCase("q {{- /* c */ -}} w", 42, 24, "qw"),
        TemplateCase("{{ \"a\\tb\\u00e9\\x41\\101\\\"\" }}", 42, 24, "a\tbéAA\""),
        TemplateCase("{{ `raw\\n` }}", 42, 24, "raw\\n"),
        TemplateCase("{{ 'a' }} {{ '\\n' }}", 42, 24, "97 10"),
        TemplateCase("{{ 0x1F }} {{ 010 }} {{ 1_000 }}", 42, 24, "31 8 1000"),
        TemplateCase("{{ 1e3 }} {{ 1.50 }} {{ -7 }} {{ +3 }} {{ .5 }}", 42, 24, "1000 1.5 -7 3 0.5"),
        TemplateCase("{{ print 1 2 \"a\" \"b\" 3 1.5 }}", 42, 24, "1 2ab3 1.5"),
        TemplateCase("{{ println \"x\" 1 }}", 42, 24, "x 1\n"),
        TemplateCase("{{ printf \"%d items\" 5 }}", 42, 24, "5 items"),
        TemplateCase("{{ printf \"%s\" 5 }}", 42, 24, "%!s(int=5)"),
        TemplateCase("{{ printf \"%d\" }}", 42, 24, "%!d(MISSING)"),
        TemplateCase("{{ printf \"%d\" 1 2 \"x\" }}", 42, 24, "1%!(EXTRA int=2, string=x)"),
        TemplateCase("{{ printf \"%q|%q\" \"hi\\n\\\"\" \"é\\x01\" }}", 42, 24, "\"hi\\n\\\"\"|\"é\\x01\""),
        TemplateCase("{{ printf \"%5s|%-5s|%.2s|%05s\" \"ab\" \"cd\" \"xyz\" \"7\" }}", 42, 24, "   ab|cd   |xy|00007"),
        TemplateCase(
            "{{ printf \"%x %X %o %b %c %U %#x %5d|%-5d|%05d|%+d|%.3d\" 255 255 8 5 65 65 255 42 42 -42 7 7 }}", 42, 24,
            "ff FF 10 101 A U+0041 0xff    42|42   |-0042|+7|007"),
        TemplateCase("{{ printf \"%t %v %s\" true false true }}", 42, 24, "true false %!s(bool=true)"),
        TemplateCase("{{ printf \"100%%\" }}", 42, 24, "100%"),
        TemplateCase("{{ printf \"%.2f\" \"3.14159\" }}", 42, 24, "%!f(string=3.)"),
        TemplateCase("{{ printf \"%x|%X\" \"hi\" \"hi\" }}", 42, 24, "6869|6869"),
        TemplateCase(
            "{{ printf \"%v %s\" $labels $labels }}", 42, 24,
            "map[__name__:m idx:24 instance:host:9090 job:api] map[__name__:m idx:24 instance:host:9090 job:api]"),
        TemplateCase("{{ printf \"%6.2f%%\" 12.3456 }}", 42, 24, " 12.35%"),
        TemplateCase("{{ printf \"%z\" 1 }}", 42, 24, "%!z(int=1)"),
        TemplateCase("{{ printf \"%\" }}", 42, 24, "%!(NOVERB)"),
        TemplateCase("{{ printf \"%x\" 1.5 }} {{ printf \"%x\" 0.1 }}", 42, 24, "0x1.8p+00 0x1.999999999999ap-04"),
        TemplateCase("{{ printf \"%e\" 0.0 }}", 42, 24, "0.000000e+00"),
        TemplateCase(
            "{{ printf \"%.3g\" 100000.0 }} {{ printf \"%.3g\" 0.0001234 }} {{ printf \"%.10g\" 0.1 }}", 42, 24,
            "1e+05 0.000123 0.1"),
        TemplateCase(
            "{{ humanize \"1234.5\" }} {{ humanize 1234 }} {{ humanize 0 }} {{ humanize 0.000001 }} {{ humanize -2500 }}",
            42, 24, "1.234k 1.234k 0 1u -2.5k"),
        TemplateCase(
            "{{ humanizeDuration 3725 }} {{ humanizeDuration 0.5 }} {{ humanizeDuration -90 }} {{ humanizeDuration 0 }} {{ humanizeDuration 0.0000012 }}",
            42, 24, "1h 2m 5s 500ms -1m 30s 0s 1.2us"),
        TemplateCase("{{ humanize1024 1 }} {{ humanize1024 1025 }} {{ humanize1024 -2048 }}", 42, 24, "1 1.001ki -2ki"),
        TemplateCase("{{ humanizePercentage 1 }} {{ humanizePercentage 0.000012345 }}", 42, 24, "100% 0.001234%"),
        TemplateCase(
            "{{ humanizeTimestamp 1700000000.123 }} {{ humanizeTimestamp -1 }} {{ humanizeTimestamp 1e10 }} {{ humanizeTimestamp 0 }} {{ humanizeTimestamp 1.5 }}",
            42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:181: executing \"__alert_A24\" at <humanizeTimestamp 1e10>: error calling humanizeTimestamp: 1e+10 cannot be represented as a nanoseconds timestamp since it overflows int64>"
        ),
        TemplateCase(
            "{{ len $labels }} {{ len \"héllo\" }} {{ index $labels \"job\" }} [{{ index $labels \"nope\" }}]", 42, 24,
            "4 6 api []"),
        TemplateCase("{{ $x := 5 }}{{ $x }}", 42, 24, "5"),
        TemplateCase("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", 42, 24, "2"),
        TemplateCase("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", 42, 24, "21"),
        TemplateCase("{{ (printf \"%s-%s\" $labels.job \"x\") | toUpper }}", 42, 24, "API-X"),
        TemplateCase(
            "{{ eq $labels.job \"a\" \"api\" }} {{ ne 1 2 }} {{ lt \"a\" \"b\" }} {{ ge 1.5 1.5 }} {{ le 2 1 }}", 42,
            24, "true true true true false"),
        TemplateCase(
            "{{ if eq 1 1 }}a{{ else if eq 1 2 }}b{{ else }}c{{ end }}{{ if eq 1 2 }}a{{ else if eq 2 2 }}b{{ else }}c{{ end }}{{ if eq 1 2 }}a{{ else if eq 1 3 }}b{{ else }}c{{ end }}",
            42, 24, "abc"),
        TemplateCase("{{ with $x := $labels.job }}{{ $x }}{{ end }}", 42, 24, "api"),
        TemplateCase("{{ if $value }}nonzero{{ else }}zero{{ end }}", 42, 24, "nonzero"),
        TemplateCase("{{ .Labels.job }}/{{ .ExternalLabels }}/{{ .ExternalURL }}", 42, 24, "api/map[]/"),
        TemplateCase("{{ . }}", 42, 24, "{map[__name__:m idx:24 instance:host:9090 job:api] map[]  42}"),
        TemplateCase("{{ true }} {{ false }}", 42, 24, "true false"),
        TemplateCase("{{ safeHtml \"<b>\" }}", 42, 24, "<b>"),
        TemplateCase("{{ toUpper \"straße\" }} {{ title \"été ok\" }}", 42, 24, "STRAßE Été Ok"),
        TemplateCase(
            "{{ gt $value 10 }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:115: executing \"__alert_A24\" at <gt $value 10>: error calling gt: incompatible types for comparison>"
        ),
        TemplateCase(
            "{{ humanize $labels }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:115: executing \"__alert_A24\" at <humanize $labels>: error calling humanize: can't convert map[string]string to float>"
        ),
        TemplateCase(
            "{{ toUpper $value }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:123: executing \"__alert_A24\" at <$value>: wrong type for value; expected string; got float64>"
        ),
        TemplateCase(
            "{{ .Nope }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:115: executing \"__alert_A24\" at <.Nope>: can't evaluate field Nope in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }>"
        ),
        TemplateCase(
            "{{ $labels.job.x }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:122: executing \"__alert_A24\" at <$labels.job.x>: can't evaluate field x in type string>"
        ),
        TemplateCase(
            "{{ humanize \"abc\" }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:115: executing \"__alert_A24\" at <humanize \"abc\">: error calling humanize: strconv.ParseFloat: parsing \"abc\": invalid syntax>"
        ),
        TemplateCase(
            "{{ reReplaceAll \"(\" \"\" \"x\" }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:115: executing \"__alert_A24\" at <reReplaceAll \"(\" \"\" \"x\">: error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`>"
        ),
        TemplateCase(
            "{{ eq $labels 1 }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:115: executing \"__alert_A24\" at <eq $labels 1>: error calling eq: incompatible types for comparison>"
        ),
        TemplateCase(
            "{{ lt true false }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:115: executing \"__alert_A24\" at <lt true false>: error calling lt: invalid type for comparison>"
        ),
        TemplateCase(
            "{{ range $value }}x{{ end }}", 42, 24,
            "<error expanding template: error executing template __alert_A24: template: __alert_A24:1:121: executing \"__alert_A24\" at <$value>: range can't iterate over 42>"
        ),
        TemplateCase(
            "{{ reReplaceAll \"a*\" \"x\" \"baaac\" }}|{{ reReplaceAll \"\" \"-\" \"abc\" }}|{{ match \"\" \"x\" }}|{{ reReplaceAll \"(a)|b\" \"[$1]\" \"ab\" }}|{{ reReplaceAll \"é\" \"e\" \"été\" }}",
            42, 24, "xbxcx|-a-b-c-|true|[a][]|ete"),
    ]
}
