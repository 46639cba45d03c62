import KlaxonHTTP

/// Stand-ins for the services Klaxon notifies, each answering in the service's own words.
package enum NotifierStandIns {
    /// Telegram's Bot API: `POST /bot<token>/sendMessage`; a wrong token gets Telegram's 404.
    package static func telegram(token: String) throws -> HTTPStandIn {
        try HTTPStandIn { request, mode in
            guard request.method == "POST", request.path == "/bot\(token)/sendMessage" else {
                return telegramJSON(404, #"{"ok":false,"error_code":404,"description":"Not Found"}"#)
            }
            switch mode {
            case .ok, .hang:
                return telegramJSON(200, #"{"ok":true,"result":{"message_id":1,"chat":{"id":1},"date":0}}"#)
            case .fail(let status):
                return telegramJSON(
                    status, #"{"ok":false,"error_code":\#(status),"description":"Bad Request: chat not found"}"#)
            case .throttle(let seconds):
                return telegramJSON(
                    429,
                    #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after \#(seconds)","#
                        + #""parameters":{"retry_after":\#(seconds)}}"#)
            }
        }
    }

    /// A Slack incoming webhook: `ok`, Slack's error words, 429 with `Retry-After`.
    package static func slack() throws -> HTTPStandIn {
        try HTTPStandIn { _, mode in
            switch mode {
            case .ok, .hang: return .text("ok")
            case .fail(let status):
                return .text(status == 404 ? "no_service" : "invalid_payload", status: HTTPStatus(status))
            case .throttle(let seconds):
                var response = HTTPResponse.text("rate_limited", status: HTTPStatus(429))
                response.headers.set("Retry-After", "\(seconds)")
                return response
            }
        }
    }

    /// A generic webhook receiver (also an Alertmanager's `/api/v2/alerts`).
    package static func webhook() throws -> HTTPStandIn {
        try HTTPStandIn { _, mode in
            switch mode {
            case .ok, .hang: return HTTPResponse(status: .ok)
            case .fail(let status): return .text("refused", status: HTTPStatus(status))
            case .throttle(let seconds):
                var response = HTTPResponse.text("slow down", status: HTTPStatus(429))
                response.headers.set("Retry-After", "\(seconds)")
                return response
            }
        }
    }

    private static func telegramJSON(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse.json(Array(body.utf8), status: HTTPStatus(status))
    }
}
