/// An email address as written in `from` and `to`: `ops@example.com` or `Klaxon <ops@example.com>`.
///
/// Deliberately narrower than RFC 5322 (no comments, no quoted local parts, no groups): what is
/// accepted can go into an SMTP command and a header line as it is, with no CR, LF or angle bracket.
package struct EmailAddress: Sendable, Equatable, CustomStringConvertible {
    /// The display name, empty when none was written.
    package var name: String
    /// `local@domain`, as the SMTP envelope carries it.
    package var address: String

    package init(name: String = "", address: String) {
        self.name = name
        self.address = address
    }

    /// Parses `local@domain` or `Display Name <local@domain>` (the name may be in double quotes).
    package init(parsing text: String) throws(EmailAddressError) {
        let trimmed = text.trimmingSpaces
        var name = ""
        var address = trimmed
        if trimmed.hasSuffix(">") {
            guard let open = trimmed.lastIndex(of: "<") else { throw .syntax("a \">\" without its \"<\"") }
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            name = String(trimmed[..<open]).trimmingSpaces
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast())
            }
            guard !name.contains(where: { $0 == "\"" || $0 == "\\" || $0 == "<" || $0 == ">" }) else {
                throw .syntax("the display name may not hold \", \\, < or >")
            }
            guard name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw .syntax("the display name holds a control character")
            }
        }
        try Self.check(address)
        self.init(name: name, address: address)
    }

    /// The part after the `@`.
    package var domain: String {
        guard let at = address.lastIndex(of: "@") else { return address }
        return String(address[address.index(after: at)...])
    }

    /// `Name <local@domain>`, or the bare address.
    package var description: String { name.isEmpty ? address : "\(name) <\(address)>" }

    private static func check(_ address: String) throws(EmailAddressError) {
        guard let at = address.lastIndex(of: "@") else { throw .syntax("an address needs an @, as in ops@example.com") }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard !local.isEmpty, local.utf8.count <= 64 else { throw .syntax("the part before @ must be 1 to 64 bytes") }
        let forbidden: Set<Character> = ["<", ">", "(", ")", "[", "]", "\\", ",", ";", ":", "\"", "@", " "]
        guard local.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            !local.contains(where: forbidden.contains)
        else { throw .syntax("the part before @ may hold only printable ASCII without spaces or <>()[]\\,;:\"@") }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard !domain.isEmpty, domain.utf8.count <= 253,
            labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            })
        else { throw .syntax("the domain after @ must be a host name such as example.com") }
    }
}

/// Why an email address did not parse.
package enum EmailAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(String)

    package var description: String {
        switch self {
        case .syntax(let reason): reason
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
