import AsyncHTTPClient
import BlastwallCore
import Foundation
import NIOCore

/// The Prometheus HTTP API: instant (`/api/v1/query`) and range (`/api/v1/query_range`) queries.
public struct PrometheusClient: Sendable {
    /// One series of a result: its labels and its samples (one for instant queries).
    public struct Series: Sendable, Equatable {
        public var labels: [String: String]
        public var samples: [(time: Double, value: Double)]

        public static func == (lhs: Series, rhs: Series) -> Bool {
            lhs.labels == rhs.labels && lhs.samples.count == rhs.samples.count
                && zip(lhs.samples, rhs.samples).allSatisfy {
                    $0.time == $1.time && ($0.value == $1.value || ($0.value.isNaN && $1.value.isNaN))
                }
        }
    }

    public let address: String
    let client: HTTPClient
    let timeout: TimeAmount

    public init(address: String, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(5)) {
        self.address = address.hasSuffix("/") ? String(address.dropLast()) : address
        self.client = client
        self.timeout = timeout
    }

    public func instant(_ query: String) async throws(MetricsError) -> [Series] {
        try await get("/api/v1/query", ["query": query])
    }

    public func range(_ query: String, start: Double, end: Double, step: Double) async throws(MetricsError) -> [Series] {
        try await get("/api/v1/query_range", ["query": query, "start": String(start), "end": String(end), "step": String(step)])
    }

    private func get(_ path: String, _ parameters: [String: String]) async throws(MetricsError) -> [Series] {
        var components = URLComponents(string: address + path)
        components?.queryItems = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        // '+' in a query means a space to many servers; Prometheus needs it encoded.
        let encoded = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components?.percentEncodedQuery = encoded
        guard let url = components?.url?.absoluteString else { throw failure("'\(address)' is not a valid URL") }
        let body: String
        let status: UInt
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: timeout)
            status = response.status.code
            body = String(buffer: try await response.body.collect(upTo: 16 << 20))
        } catch {
            throw failure("cannot query \(address): \(error)")
        }
        let document: JSONValue
        do { document = try JSONParser.parse(body) } catch { throw failure("answered HTTP \(status) with a body that is not JSON") }
        guard document["status"]?.stringValue == "success" else {
            let reason = document["error"]?.stringValue ?? "HTTP \(status)"
            throw failure("refused the query: \(reason)")
        }
        guard let data = document["data"], let results = data["result"]?.arrayValue else { throw failure("answered without data.result") }
        switch data["resultType"]?.stringValue {
        case "vector", "matrix":
            return try results.map { item throws(MetricsError) in try series(item) }
        case "scalar":
            return [Series(labels: [:], samples: [try sample(data["result"]!)])]
        default:
            throw failure("answered a result of type '\(data["resultType"]?.stringValue ?? "none")'; use a query returning numbers")
        }
    }

    private func series(_ item: JSONValue) throws(MetricsError) -> Series {
        var labels: [String: String] = [:]
        if case .object(let members)? = item["metric"] {
            for (key, value) in members { labels[key] = value.stringValue ?? "" }
        }
        if let value = item["value"] { return Series(labels: labels, samples: [try sample(value)]) }
        let values = item["values"]?.arrayValue ?? []
        return Series(labels: labels, samples: try values.map { value throws(MetricsError) in try sample(value) })
    }

    /// `[1700000000.123, "42"]`: values are strings, and may be NaN, +Inf or -Inf.
    private func sample(_ pair: JSONValue) throws(MetricsError) -> (time: Double, value: Double) {
        guard let items = pair.arrayValue, items.count == 2, let time = items[0].doubleValue, let text = items[1].stringValue,
            let value = Self.number(text)
        else { throw failure("answered a sample that is not [time, \"value\"]") }
        return (time, value)
    }

    static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }

    private func failure(_ message: String) -> MetricsError {
        MetricsError(provider: "prometheus", message: "Prometheus at \(address) \(message)")
    }
}
