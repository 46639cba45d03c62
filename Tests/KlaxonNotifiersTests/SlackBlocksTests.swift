import KlaxonNotifiers
import Testing

@Suite struct SlackBlocksTests {
    @Test func payloadHasFallbackTextAndEscapedSections() {
        var message = MessageText()
        message.append([.text("🚨 "), .bold("P0 FIRING: <b>&amp;")])
        message.append([.bold("Runbook: "), .link(text: "rb", url: "https://rb.example/?a=1&b=2")])
        message.appendBlankLine()
        message.append([.code("venue=x")])
        #expect(
            SlackBlocks.payload(message) == """
                {"text":"🚨 P0 FIRING: <b>&amp;","blocks":[{"type":"section","text":{"type":"mrkdwn",\
                "text":"🚨 *P0 FIRING: &lt;b&gt;&amp;amp;*\\n*Runbook: *<https://rb.example/?a=1&amp;b=2|rb>"}},\
                {"type":"section","text":{"type":"mrkdwn","text":"`venue=x`"}}]}
                """)
    }

    @Test func longParagraphsAreCutIntoSectionsWithinTheLimit() {
        var message = MessageText()
        message.append([.text(String(repeating: "&", count: 5000))])
        message.append([.text("tail")])
        let sections = SlackBlocks.sections(message)
        #expect(sections.count == 9)
        #expect(sections.allSatisfy { $0.utf16.count <= SlackBlocks.sectionLimit })
        #expect(sections.dropLast().allSatisfy { $0.hasSuffix("&amp;") && $0.hasPrefix("&amp;") })
        #expect(
            sections.joined().replacing("&amp;", with: "&").replacing("\n", with: "") == String(
                repeating: "&", count: 5000) + "tail")
    }

    @Test func moreThanFiftyBlocksEndWithANoteOfWhatWasLeftOut() {
        var message = MessageText()
        for index in 1...60 {
            message.append([.text("alert \(index)")])
            message.appendBlankLine()
        }
        let sections = SlackBlocks.sections(message)
        #expect(sections.count == 50)
        #expect(sections[48] == "alert 49")
        #expect(sections[49] == "… 11 more sections not shown; the audit trail has every alert.")
    }
}
