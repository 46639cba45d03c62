import KlaxonNotifiers
import Testing

@Suite struct TelegramHTMLTests {
    @Test(arguments: [
        ("<b>", "&lt;b&gt;"),
        ("&amp;", "&amp;amp;"),
        ("say \"hi\"", "say &quot;hi&quot;"),
        ("🚨 ok", "🚨 ok"),
    ])
    func escapesTheFourCharactersTelegramParses(_ input: String, _ expected: String) {
        #expect(TelegramHTML.escape(input) == expected)
        #expect(TelegramHTML.visibleLength(expected) == input.utf16.count)
    }

    @Test func rendersOnlyAllowedTagsAroundEscapedText() {
        let html = TelegramHTML.renderLine([
            .bold("<b>"), .text(" & "), .code("a=<i>"), .link(text: "run<book>", url: "https://x.example/?a=1&b=\"2\""),
        ])
        #expect(
            html == "<b>&lt;b&gt;</b> &amp; <code>a=&lt;i&gt;</code>"
                + "<a href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\">run&lt;book&gt;</a>")
        #expect(TelegramHTML.problem(in: html) == nil)
    }

    @Test func aLinkThatIsNotHTTPStaysText() {
        #expect(TelegramHTML.renderLine([.link(text: "x", url: "javascript:alert(1)")]) == "x")
    }

    @Test(arguments: [
        ("<b>x</b>", 1), ("&#128680;", 2), ("&#x41;", 1), ("a\nb", 3), ("<a href=\"u\">ab</a>", 2), ("&bogus;", 7),
    ])
    func visibleLengthCountsUTF16AfterEntities(_ html: String, _ expected: Int) {
        #expect(TelegramHTML.visibleLength(html) == expected)
    }

    @Test(arguments: ["<b>x", "x</b>", "<script>x</script>", "a < b", "a & b", "<b><i>x</b></i>"])
    func problemFindsMarkupTelegramRejects(_ html: String) {
        #expect(TelegramHTML.problem(in: html) != nil)
    }
}
