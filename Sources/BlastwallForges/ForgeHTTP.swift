import AsyncHTTPClient
import BlastwallCore
import NIOCore
import NIOHTTP1

/// JSON over HTTPS to a forge's REST API: one request at a time, bounded in time and size, errors typed.
public struct ForgeHTTP: Sendable {
    /// The API's root, without a trailing slash: `https://api.github.com`, `https://gitlab.example.com/api/v4`.
    public let baseURL: String
    let timeout: TimeAmount
    /// Answers larger than this are refused (a pull request's reviews fit many times over).
    static let maxResponseBytes = 16 << 20

    public init(baseURL: String, timeout: Duration = .seconds(15)) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
    }

    /// An answer: its status, headers and body.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]

        public func json() throws(ForgeError) -> JSONValue {
            do {
                return try JSONParser.parse(String(decoding: body, as: UTF8.self))
            } catch {
                throw .malformed("the forge's answer is not JSON: \(error)")
            }
        }

        /// The next page's URL from a `Link: <…>; rel="next"` header (GitHub, GitLab and Gitea all send one).
        public var nextPage: String? {
            for value in headers["Link"] {
                for link in value.split(separator: ",") {
                    let parts = link.split(separator: ";").map { $0.trimmingWhitespace() }
                    guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">"),
                        parts.dropFirst().contains(where: { $0 == "rel=\"next\"" || $0 == "rel=next" })
                    else { continue }
                    return String(target.dropFirst().dropLast())
                }
            }
            return nil
        }
    }

    /// Sends one request; `path` is relative to `baseURL`, or a full URL (a next page). 2xx answers are
    /// returned, every other status is thrown.
    public func send(
        _ method: HTTPMethod, _ path: String, json body: JSONValue? = nil, headers: [(String, String)] = []
    ) async throws(ForgeError) -> Response {
        let url = path.hasPrefix("http://") || path.hasPrefix("https://") ? path : baseURL + path
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "blastwall")
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.serialized(pretty: false)))
        }
        let response: Response
        do {
            let answer = try await HTTPClient.shared.execute(request, timeout: timeout)
            let bytes = try await answer.body.collect(upTo: Self.maxResponseBytes)
            response = Response(status: Int(answer.status.code), headers: answer.headers, body: Array(bytes.readableBytesView))
        } catch {
            throw .unavailable("\(method.rawValue) \(Self.redacted(url)) failed: \(error)")
        }
        guard (200..<300).contains(response.status) else { throw Self.failure(response, method: method, url: url) }
        return response
    }

    /// Every page of a list, following `Link` headers, up to `maxPages`.
    public func list(_ path: String, headers: [(String, String)] = [], maxPages: Int = 50) async throws(ForgeError) -> [JSONValue] {
        var items: [JSONValue] = []
        var next: String? = path
        var pages = 0
        while let page = next, pages < maxPages {
            let response = try await send(.GET, page, headers: headers)
            guard let array = try response.json().arrayValue else { throw .malformed("GET \(Self.redacted(page)) did not answer a list") }
            items += array
            next = response.nextPage
            pages += 1
        }
        return items
    }

    static func failure(_ response: Response, method: HTTPMethod, url: String) -> ForgeError {
        let json = try? response.json()
        let message =
            json?["message"]?.stringValue ?? json?["error"]?.stringValue ?? String(decoding: response.body.prefix(300), as: UTF8.self)
        let what = "\(method.rawValue) \(redacted(url))"
        switch response.status {
        case 401: return .unauthorized("\(what): the forge refused the credentials (\(message)); check the token or the App's key")
        case 403 where response.headers.first(name: "X-RateLimit-Remaining") == "0" || response.headers.first(name: "Retry-After") != nil:
            return .unavailable("\(what): rate limited (\(message)); retried later")
        case 403:
            return .unauthorized("\(what): forbidden (\(message)); give the token or App the permissions docs/forges.md lists")
        case 404: return .notFound("\(what): not found (\(message))")
        case 429: return .unavailable("\(what): rate limited (\(message)); retried later")
        default: return .rejected(status: response.status, message: "\(what): \(message)")
        }
    }

    /// A URL without its query, which may hold a token (GitLab's `private_token=`).
    static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}

extension ForgeHTTP {
    /// One path segment, percent-encoded: a repository's `owner/name` keeps its slash only where the caller puts one.
    public static func segment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let isUnreserved =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "-._~".utf8.contains(byte)
            if isUnreserved {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }

    /// `owner/name` as two encoded segments; anything else is refused before a request is made.
    public static func ownerAndName(_ repository: String) throws(ForgeError) -> String {
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .malformed("'\(repository)' is not a repository's OWNER/NAME")
        }
        return segment(String(parts[0])) + "/" + segment(String(parts[1]))
    }
}
