import KlaxonNotifiers
import Testing

@Suite struct TelegramMessageSplitterTests {
    struct Case: CustomStringConvertible, Sendable {
        var description: String
        var html: String
        var limit: Int
    }

    static let cases: [Case] = [
        Case(
            description: "exactly the limit with entities", html: String(repeating: "&amp;", count: 4096), limit: 4096),
        Case(description: "one over the limit", html: String(repeating: "a", count: 4097), limit: 4096),
        Case(
            description: "lines over the limit",
            html: (1...400).map { "line \($0) <b>bold &lt;x&gt;</b> text" }.joined(separator: "\n"), limit: 4096),
        Case(description: "a single line of 5000 characters", html: String(repeating: "x", count: 5000), limit: 4096),
        Case(description: "emoji count two units", html: String(repeating: "🚨", count: 2049), limit: 4096),
        Case(
            description: "a long bold line cut inside the tag",
            html: "<b>" + String(repeating: "&lt;b&gt;", count: 1500) + "</b>\nnext", limit: 4096),
        Case(
            description: "a link cut keeps its href",
            html: "<a href=\"https://x.example/?a=1&amp;b=2\">" + String(repeating: "é", count: 60) + "</a>",
            limit: 30),
        Case(
            description: "small limit, many parts", html: (1...200).map { "l\($0)" }.joined(separator: "\n"),
            limit: 20),
    ]

    @Test(arguments: cases)
    func everyPartFitsIsWellFormedAndKeepsTheText(_ testCase: Case) {
        let parts = TelegramMessageSplitter(limit: testCase.limit).split(testCase.html)
        for part in parts {
            #expect(TelegramHTML.visibleLength(part) <= testCase.limit, "\(part.prefix(80))")
            #expect(TelegramHTML.problem(in: part) == nil, "\(TelegramHTML.problem(in: part) ?? "")")
        }
        if TelegramHTML.visibleLength(testCase.html) <= testCase.limit {
            #expect(parts == [testCase.html])
        } else {
            #expect(parts.count > 1)
            for (index, part) in parts.enumerated() {
                #expect(part.hasPrefix("(\(index + 1)/\(parts.count)) "))
            }
            #expect(visibleText(parts, stripPrefixes: true) == visibleText([testCase.html], stripPrefixes: false))
        }
    }

    /// Found by Fuzz/telegramresponse: a part starting with a combining mark glued it to the `>`
    /// of the reopened `<b>`, which then no longer read as a tag, and the part came out too long.
    @Test func aCombiningMarkAfterACutNeitherHidesATagNorOverflowsAPart() throws {
        let html = "<b>" + String(repeating: "a", count: 30) + "\n\u{64D}" + String(repeating: "b", count: 30) + "</b>"
        let parts = TelegramMessageSplitter(limit: 40).split(html)
        #expect(parts.count == 2)
        for part in parts {
            #expect(TelegramHTML.visibleLength(part) <= 40, "\(part.debugDescription)")
            #expect(TelegramHTML.problem(in: part) == nil, "\(part.debugDescription)")
        }
        #expect(TelegramHTML.visibleLength("<b>\u{64D}x</b>") == 2)
    }

    @Test func exactlyTheLimitIsOnePartAndOneMoreIsTwo() {
        let fits = String(repeating: "a", count: 4095) + "&quot;"
        #expect(TelegramHTML.visibleLength(fits) == 4096)
        #expect(TelegramMessageSplitter().split(fits) == [fits])
        let over = fits + "b"
        let parts = TelegramMessageSplitter().split(over)
        #expect(parts.count == 2)
        #expect(parts[0].hasPrefix("(1/2) "))
        #expect(parts[1].hasPrefix("(2/2) "))
    }

    @Test func linesAreKeptWholeWhenTheyFit() {
        let lines = (1...3).map { String(repeating: Character(String($0)), count: 20) }
        let parts = TelegramMessageSplitter(limit: 40).split(lines.joined(separator: "\n"))
        #expect(parts == ["(1/3) " + lines[0], "(2/3) " + lines[1], "(3/3) " + lines[2]])
    }

    @Test func tagsOpenAtACutAreClosedAndReopened() {
        let parts = TelegramMessageSplitter(limit: 16).split("<b>" + String(repeating: "a", count: 20) + "</b>")
        #expect(parts == ["(1/2) <b>aaaaaaaaaa</b>", "(2/2) <b>aaaaaaaaaa</b>"])
    }

    @Test func aTagSpanningLinesIsClosedAndReopenedAtThePartBoundary() {
        let parts = TelegramMessageSplitter(limit: 16).split("<pre>aaaaaaaa\nbbbbbbbb</pre>")
        #expect(parts == ["(1/2) <pre>aaaaaaaa</pre>", "(2/2) <pre>bbbbbbbb</pre>"])
    }

    @Test func aNewlineInsideATagDoesNotSplitTheTag() {
        let html = "<a href=\"https://x.example/\n\">link</a>\n" + String(repeating: "y", count: 20)
        let parts = TelegramMessageSplitter(limit: 16).split(html)
        #expect(parts.allSatisfy { TelegramHTML.problem(in: $0) == nil })
        #expect(parts.first == "(1/3) <a href=\"https://x.example/\n\">link</a>\nyyyyy")
    }

    @Test func theNumberWidensWhenThereAreTenOrMoreParts() {
        let parts = TelegramMessageSplitter(limit: 14).split((1...12).map { "line\($0)" }.joined(separator: "\n"))
        #expect(parts.count == 12)
        #expect(parts[0] == "(1/12) line1")
        #expect(parts.allSatisfy { TelegramHTML.visibleLength($0) <= 14 })
    }

    /// The text a reader sees: tags removed, the "(k/n) " prefixes and added newlines dropped.
    private func visibleText(_ parts: [String], stripPrefixes: Bool) -> String {
        parts.map { part in
            var text = part
            if stripPrefixes, let space = text.firstIndex(of: " ") { text = String(text[text.index(after: space)...]) }
            var out = ""
            var inTag = false
            for character in text {
                if character == "<" {
                    inTag = true
                } else if character == ">" {
                    inTag = false
                } else if !inTag {
                    if character != "\n" { out.append(character) }
                }
            }
            return out
        }.joined()
    }
}
