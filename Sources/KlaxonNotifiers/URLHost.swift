import Foundation

/// The host of a URL, for error texts that must name a destination without its secret path.
package enum URLHost {
    /// The host of `url`, or `fallback` when it has none.
    package static func of(_ url: String, or fallback: String) -> String {
        URL(string: url)?.host ?? fallback
    }
}
