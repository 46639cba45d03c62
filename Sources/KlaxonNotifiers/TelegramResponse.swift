import Foundation
import KlaxonRouting

/// Telegram Bot API answers as `DeliveryResult`s. Pure over the bytes received (it is fuzzed).
///
/// Telegram answers `{"ok":true,…}`, or `{"ok":false,"error_code":N,"description":"…",
/// "parameters":{"retry_after":S}}`. A `retry_after` (flood control) is throttling whatever the
/// code; 401 and 404 mean a wrong bot token or API URL (configuration); other 4xx are rejected
/// (chat not found, bot blocked, markup refused); 5xx are retried.
package enum TelegramResponse {
    /// What Telegram said, as far as it could be read.
    package struct Parsed: Sendable, Equatable {
        package var ok: Bool?
        package var errorCode: Int?
        package var description: String?
        package var retryAfterSeconds: Int?
        package var migrateToChatID: Int64?
    }

    /// The fields Klaxon uses from a Telegram answer; nil when the body is not a JSON object.
    package static func parse(_ body: [UInt8]) -> Parsed? {
        guard body.count <= HTTPTransportResponse.maxBodyBytes,
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { return nil }
        var parsed = Parsed()
        parsed.ok = object["ok"] as? Bool
        parsed.errorCode = integer(object["error_code"])
        parsed.description = object["description"] as? String
        if let parameters = object["parameters"] as? [String: Any] {
            parsed.retryAfterSeconds = integer(parameters["retry_after"])
            parsed.migrateToChatID = integer(parameters["migrate_to_chat_id"]).map(Int64.init)
        }
        return parsed
    }

    /// The outcome of one `sendMessage` call answered with `status` and `body`.
    package static func classify(status: Int, body: [UInt8]) -> DeliveryResult {
        let parsed = parse(body)
        if (200...299).contains(status), parsed?.ok != false { return .delivered }
        let code = parsed?.errorCode ?? status
        var text = "Telegram answered \(code)"
        if let description = parsed?.description {
            text += ": " + HTTPResponseClassification.printable(description, limit: 200)
        } else if parsed == nil {
            text += HTTPResponseClassification.detail(body)
        }
        if let chat = parsed?.migrateToChatID { text += " (the group is now chat \(chat); set chat_id to it)" }
        if let seconds = parsed?.retryAfterSeconds {
            let clamped = Int64(min(max(seconds, 0), 86_400))
            return .failed(DeliveryError(.throttled, text), retryAfter: clamped * 1000)
        }
        switch code {
        case 429: return .failed(DeliveryError(.throttled, text), retryAfter: nil)
        case 500...599: return .failed(DeliveryError(.serverError, text), retryAfter: nil)
        case 401, 404:
            return .failed(DeliveryError(.configuration, text + " (check bot_token and api_url)"), retryAfter: nil)
        default: return .failed(DeliveryError(.rejected, text), retryAfter: nil)
        }
    }

    /// A JSON number that is a whole number in Int's range, else nil.
    private static func integer(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, !(value is Bool) else { return nil }
        let double = number.doubleValue
        guard double.isFinite, double == double.rounded(), abs(double) < 9e15 else { return nil }
        return Int(double)
    }
}
