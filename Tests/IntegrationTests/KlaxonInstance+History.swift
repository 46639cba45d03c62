import Foundation

extension KlaxonInstance {
    /// Every audit record matching `filter` (a history query string such as `kind=fired`), newest
    /// first, read page by page through `nextCursor` as an operator's script would.
    func history(_ filter: String) async throws -> [[String: Any]] {
        var records: [[String: Any]] = []
        var cursor: String?
        repeat {
            let page = "/api/v1/alerts/history?\(filter)&limit=1000" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try await send("GET", page)
            guard response.status == 200,
                let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                let data = object["data"] as? [String: Any], let batch = data["records"] as? [[String: Any]]
            else { throw KlaxonInstanceError(message: "\(page) answered \(response.status): \(response.text)") }
            records += batch
            cursor = data["nextCursor"] as? String
        } while cursor != nil
        return records
    }
}
