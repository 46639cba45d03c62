import KlaxonNotifiers
import Testing

@Suite struct SMTPReplyParserTests {
    private func replies(_ text: String, chunk: Int = .max) throws -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var out: [SMTPReply] = []
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            parser.append(bytes.prefix(chunk))
            bytes = bytes.dropFirst(chunk)
            while let reply = try parser.next() { out.append(reply) }
        }
        return out
    }

    @Test(arguments: [1, 2, 7, 4096])
    func aMultilineEHLOReplyIsOneReplyWhateverTheReadBoundaries(chunk: Int) throws {
        let text = "250-mx.example.com Hello\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n221 Bye\r\n"
        #expect(
            try replies(text, chunk: chunk) == [
                SMTPReply(code: 250, lines: ["mx.example.com Hello", "PIPELINING", "AUTH PLAIN LOGIN", "STARTTLS"]),
                SMTPReply(code: 221, lines: ["Bye"]),
            ])
    }

    @Test func aBareCodeAndABareLineFeedAreAccepted() throws {
        #expect(
            try replies("250\n354 go ahead\n") == [
                SMTPReply(code: 250, lines: [""]), .init(code: 354, lines: ["go ahead"]),
            ])
    }

    @Test func anIncompleteReplyWaitsForMoreBytes() throws {
        var parser = SMTPReplyParser()
        parser.append(Array("250-first\r\n250 sec".utf8))
        #expect(try parser.next() == nil)
        parser.append(Array("ond\r\n".utf8))
        #expect(try parser.next() == SMTPReply(code: 250, lines: ["first", "second"]))
        #expect(parser.bufferedCount == 0)
    }

    @Test(arguments: [
        ("25O Hi\r\n", "a reply line does not start with a three-digit code: \"25O Hi\""),
        ("250-a\r\n251 b\r\n", "a multiline reply changes its code from 250 to 251: \"251 b\""),
        ("250_x\r\n", "the code is not followed by a space or \"-\": \"250_x\""),
        ("199 too low\r\n", "reply code 199 is outside 200…599: \"199 too low\""),
        ("\r\n", "a reply line does not start with a three-digit code: \"\""),
    ])
    func malformedRepliesAreErrorsThatQuoteTheLine(_ text: String, _ message: String) {
        #expect(throws: SMTPReplyError(message)) { try replies(text) }
    }

    @Test func anEndlessLineIsRefusedOnceOverTheLimit() {
        var parser = SMTPReplyParser()
        parser.append(Array(repeating: UInt8(ascii: "2"), count: SMTPReplyParser.maxLineBytes + 1))
        #expect(throws: SMTPReplyError("a reply line is longer than 4096 bytes")) { try parser.next() }
    }

    @Test func tooManyLinesInOneReplyAreRefused() {
        let text = String(repeating: "250-x\r\n", count: SMTPReplyParser.maxLines + 1)
        #expect(throws: SMTPReplyError("a reply has more than 256 lines")) { try replies(text) }
    }

    @Test func ehloCapabilitiesReadBothAuthForms() {
        let capabilities = SMTPCapabilities(
            ehlo: SMTPReply(code: 250, lines: ["mx", "AUTH LOGIN", "AUTH=PLAIN CRAM-MD5", "starttls", "SIZE 35882577"]))
        #expect(capabilities.startTLS)
        #expect(capabilities.authMechanisms == ["LOGIN", "PLAIN", "CRAM-MD5"])
        #expect(capabilities.maxSize == 35_882_577)
        #expect(!SMTPCapabilities(ehlo: SMTPReply(code: 250, lines: ["STARTTLS"])).startTLS)
    }
}

@Suite struct SMTPDataTests {
    @Test func leadingDotsAreDoubledAndLineEndingsBecomeCRLF() {
        let stuffed = SMTPData.stuffed(Array(".hidden\nline\r\n..two\rlast".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..hidden\r\nline\r\n...two\r\nlast\r\n.\r\n")
    }

    @Test func aLoneDotLineCannotEndTheMessageEarly() {
        let stuffed = String(decoding: SMTPData.stuffed(Array("a\r\n.\r\nb\r\n".utf8)), as: UTF8.self)
        #expect(stuffed == "a\r\n..\r\nb\r\n.\r\n")
        #expect(stuffed.components(separatedBy: "\r\n.\r\n").count == 2)
    }

    @Test(arguments: ["", "x", ".\r\n", "a\r\n.b\r\n..c\r\n", "\r\n\r\n.", "ünï\r\n.cödé\r\n"])
    func aServerRestoresTheMessage(_ text: String) {
        let message = Array(text.utf8)
        var expected = message
        if !text.hasSuffix("\r\n") { expected += [13, 10] }
        #expect(SMTPData.unstuffed(SMTPData.stuffed(message)) == expected)
    }
}
