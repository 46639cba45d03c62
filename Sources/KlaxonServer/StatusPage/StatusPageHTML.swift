import KlaxonHTTP

/// The frame every status page shares: the document head, and the response headers that keep the
/// page to itself (the Content-Security-Policy allows the page's own stylesheet and form posts to
/// Klaxon, and nothing else: no script at all, inline or not).
enum StatusPageHTML {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    /// The document up to and including `<body>`; `title` is escaped here. `refresh` reloads the
    /// page every 15 s (the overview; never a page with a form someone may be typing in).
    static func head(title: String, refresh: Bool) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1">
        \(refresh ? "<meta http-equiv=\"refresh\" content=\"15\">\n" : "")\
        <title>\(HTMLText.escape(title))</title><link rel="stylesheet" href="\(StatusPageStyle.path)">
        </head><body>
        """
    }

    /// An HTML response with the page's security headers.
    static func response(_ html: String, status: HTTPStatus = .ok) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: Array(html.utf8))
        response.headers.set("Content-Type", "text/html; charset=utf-8")
        response.headers.set("Content-Security-Policy", contentSecurityPolicy)
        response.headers.set("X-Content-Type-Options", "nosniff")
        // `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` with
        // the forms' posts, and the origin check could not tell Klaxon's own page from a sandbox.
        response.headers.set("Referrer-Policy", "same-origin")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// A page saying what went wrong (escaped), with the status it is sent with.
    static func problem(_ message: String, status: HTTPStatus, back: String = "/") -> HTTPResponse {
        var html = head(title: "Klaxon — not done", refresh: false)
        html += "<header><h1><a href=\"/\">Klaxon</a></h1></header><section class=\"problem\">"
        html += "<h2>Not done (\(status.code))</h2><p class=\"failing\">\(HTMLText.escape(message))</p>"
        html += "<p>Nothing was changed. Go back, correct it and send the form again, or "
        html += "<a href=\"\(HTMLText.escape(back))\">start over</a>.</p></section></body></html>\n"
        return response(html, status: status)
    }
}
