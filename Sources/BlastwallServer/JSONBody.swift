import BlastwallCore
import Hummingbird

/// A JSON request body, read with a size limit, whose fields are checked by name and type.
struct JSONBody: Sendable {
    let object: [(String, JSONValue)]

    /// Reads and parses the body: 413 beyond `limit`, 400 for anything but a JSON object, 415 for another media type.
    static func read(_ request: Request, limit: Int, allowed: Set<String>) async throws -> JSONBody {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Problem(.unsupportedMediaType, "the body must be application/json, not \(type)")
        }
        let text = String(buffer: try await bytes(of: request, limit: limit))
        let value: JSONValue
        do {
            value = try JSONParser.parse(text.isEmpty ? "{}" : text)
        } catch {
            throw Problem(.badRequest, "the body is not valid JSON: \(error.description)", field: error.field)
        }
        guard case .object(let members) = value else { throw Problem(.badRequest, "the body must be a JSON object") }
        for (key, _) in members where !allowed.contains(key) {
            throw Problem(.badRequest, "unknown field '\(key)'; known fields: \(allowed.sorted().joined(separator: ", "))", field: key)
        }
        return JSONBody(object: members)
    }

    /// The body's bytes: 413 beyond `limit`, answered at once when the declared length says so, without
    /// waiting for a body that may never come.
    static func bytes(of request: Request, limit: Int) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw Problem(.contentTooLarge, "the body is \(declared) bytes, larger than the limit of \(limit) bytes")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw Problem(.contentTooLarge, "the body is larger than \(limit) bytes")
        }
    }

    func value(_ field: String) -> JSONValue? {
        object.first { $0.0 == field }?.1
    }

    func string(_ field: String) throws -> String? {
        guard let value = value(field), value != .null else { return nil }
        guard case .string(let text) = value else { throw Problem(.badRequest, "'\(field)' must be a string", field: field) }
        return text
    }

    func requiredString(_ field: String) throws -> String {
        guard let text = try string(field) else { throw Problem(.badRequest, "'\(field)' is required", field: field) }
        return text
    }

    func bool(_ field: String) throws -> Bool? {
        guard let value = value(field), value != .null else { return nil }
        guard case .bool(let flag) = value else { throw Problem(.badRequest, "'\(field)' must be true or false", field: field) }
        return flag
    }

    func strings(_ field: String) throws -> [String]? {
        guard let value = value(field), value != .null else { return nil }
        guard case .array(let items) = value else { throw Problem(.badRequest, "'\(field)' must be a list of strings", field: field) }
        return try items.map { item in
            guard case .string(let text) = item else { throw Problem(.badRequest, "'\(field)' must be a list of strings", field: field) }
            return text
        }
    }

    func enumeration<T: RawRepresentable>(_ field: String, _ type: T.Type) throws -> T? where T.RawValue == String, T: CaseIterable {
        guard let text = try string(field) else { return nil }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(.badRequest, "'\(field)' is '\(text)', but must be one of \(allowed)", field: field)
        }
        return value
    }
}

/// Pagination parameters of list routes: `limit` (1–500, default 50) and a cursor.
struct Page {
    var limit: Int
    var after: Int64

    init(_ request: Request, defaultLimit: Int = 50) throws {
        let query = request.uri.queryParameters
        limit = defaultLimit
        after = 0
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...500).contains(value) else {
                throw Problem(.badRequest, "limit must be a whole number from 1 to 500", field: "limit")
            }
            limit = value
        }
        if let text = query["after"] {
            guard let value = Int64(String(text)), value >= 0 else {
                throw Problem(.badRequest, "after must be a non-negative whole number (the last id of the previous page)", field: "after")
            }
            after = value
        }
    }
}

extension Response {
    /// A JSON response with a status.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.serialized(pretty: false))))
    }
}
