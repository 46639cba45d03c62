import KlaxonNotifiers

/// Escapes text for HTML element content and attribute values: everything shown on the status
/// page passes through here, so a label holding `<script>` shows as text.
enum HTMLText {
    static func escape(_ text: String) -> String {
        // Telegram's four named entities are HTML's: every attribute here is double-quoted.
        TelegramHTML.escape(text)
    }

    /// A link only for `http(s)` URLs (a runbook); anything else shows as text.
    static func link(_ url: String, text: String) -> String {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return escape(text) }
        return "<a href=\"\(escape(url))\" rel=\"noopener noreferrer\">\(escape(text))</a>"
    }
}
