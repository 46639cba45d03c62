import KlaxonNotifiers
import KlaxonRouting

/// Feeds arbitrary bytes to the SMTP reply parser (whole and in small reads, which must agree) and
/// drives a conversation with every reply parsed: nothing may crash, the conversation must finish
/// or wait, never act after finishing, and never send a line with a bare CR or LF outside DATA.
/// The same bytes as a message must come back whole through dot-stuffing, and as text through
/// the quoted-printable and header encoders within the line limits.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = replies(bytes, chunk: max(1, bytes.count))
    let split = replies(bytes, chunk: 3)
    if whole != split { fatalError("read boundaries changed the replies") }
    converse(whole.replies)
    checkEncodings(bytes)
    return 0
}

struct Parsed: Equatable {
    var replies: [SMTPReply] = []
    var error: SMTPReplyError?
}

func replies(_ bytes: [UInt8], chunk: Int) -> Parsed {
    var parser = SMTPReplyParser()
    var parsed = Parsed()
    var rest = bytes[...]
    while !rest.isEmpty {
        parser.append(rest.prefix(chunk))
        rest = rest.dropFirst(chunk)
        do {
            while let reply = try parser.next() {
                if !(200...599).contains(reply.code) || reply.lines.isEmpty { fatalError("impossible reply") }
                parsed.replies.append(reply)
            }
        } catch {
            parsed.error = error
            return parsed
        }
    }
    return parsed
}

func converse(_ replies: [SMTPReply]) {
    for encrypted in [false, true] {
        let settings = SMTPConversation.Settings(
            hello: "klaxon.test", from: "k@example.com", recipients: ["a@example.com", "b@example.com"],
            credentials: SMTPCredentials(username: "user", password: "pass"), requireStartTLS: true,
            encrypted: encrypted, allowsUnencryptedAuth: false, target: "relay")
        var conversation = SMTPConversation(settings: settings, message: Array("Subject: x\r\n\r\n.body\r\n".utf8))
        var finished = false
        for reply in replies {
            var actions = conversation.receive(reply)
            if let index = actions.firstIndex(of: .startTLS) {
                actions += conversation.tlsEstablished()
                _ = index
            }
            if finished && !actions.isEmpty { fatalError("acted after finishing") }
            for action in actions {
                if case .finish = action { finished = true }
                if case .send(let line) = action, conversation.stage != .message {
                    let body = line.dropLast(2)
                    if line.suffix(2) != [13, 10] || body.contains(13) || body.contains(10) {
                        fatalError("a command line with a bare CR or LF")
                    }
                }
            }
        }
        if finished != (conversation.stage == .done) { fatalError("finished and done disagree") }
    }
}

func checkEncodings(_ bytes: [UInt8]) {
    let stuffed = SMTPData.stuffed(bytes)
    guard let restored = SMTPData.unstuffed(stuffed) else { fatalError("stuffed data lacks its terminator") }
    // The only change besides line endings is none: count the non-CR/LF bytes.
    let content = bytes.filter { $0 != 13 && $0 != 10 }
    if restored.filter({ $0 != 13 && $0 != 10 }) != content { fatalError("dot-stuffing lost or added bytes") }
    let text = String(decoding: bytes, as: UTF8.self)
    for line in EmailEncoding.quotedPrintable(text).split(separator: "\r\n", omittingEmptySubsequences: false)
    where line.utf8.count > 76 || !line.unicodeScalars.allSatisfy({ $0.isASCII }) {
        fatalError("a quoted-printable line over 76 characters or not ASCII")
    }
    for line in EmailEncoding.headerText(text).split(separator: "\r\n", omittingEmptySubsequences: false)
    where line.utf8.count > 998 || line.contains("\n") || line.contains("\r") {
        fatalError("a header line over 998 octets or with a bare line break")
    }
}
