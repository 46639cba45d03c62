import KlaxonHTTP

/// Feeds arbitrary bytes to the request parser in splits chosen by the input, and checks that the
/// parser answers the same whatever the split: it must never crash, and every failure carries a
/// 4xx/5xx status with a message. The same bytes go through the client's response decoder.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let seed = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    let limits = HTTPParserLimits(maxHeaderBytes: 512, maxBodyBytes: 1024)

    var whole = HTTPRequestParser(limits: limits)
    let expected = whole.feed(input)

    var split = HTTPRequestParser(limits: limits)
    var events: [HTTPParserEvent] = []
    var offset = 0
    var step = Int(seed % 13) + 1
    while offset < input.count {
        let end = min(input.count, offset + step)
        events += split.feed(input[offset..<end])
        offset = end
        step = (step * 7 + Int(seed)) % 17 + 1
    }
    // A split may only change when 100-continue is asked for (the body may already be there).
    let strip: ([HTTPParserEvent]) -> [HTTPParserEvent] = { $0.filter { $0 != .sendContinue } }
    precondition(strip(events) == strip(expected), "parser result depends on how the bytes were split")
    for event in events {
        if case .failure(let error) = event {
            precondition(error.status.code >= 400 && !error.message.isEmpty)
            _ = HTTPResponseWriter.serialize(error)
        }
        if case .request(let request) = event {
            _ = HTTPResponseWriter.serialize(
                HTTPResponse(headers: request.headers, body: request.body), method: request.method, keepAlive: true)
        }
    }
    var decoder = HTTPResponseDecoder(expectsBody: seed & 1 == 0, maxBodyBytes: 1024)
    if (try? decoder.feed(input)) == false {
        try? decoder.finish()
    }
    if let response = decoder.response {
        precondition(response.body.count <= 1024)
    }
    return 0
}
