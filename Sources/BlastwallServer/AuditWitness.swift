import AsyncHTTPClient
import BlastwallAudit
import BlastwallCore
import Foundation
import NIOCore

/// A copy of each checkpoint kept where the database's users cannot rewrite it: appended to a file, or
/// POSTed to a URL. `blastwall audit verify --witness FILE` then catches a tail cut, or a database
/// rewritten together with its checkpoints, that nothing inside the database can reveal.
public enum AuditWitness: Sendable, Equatable {
    case file(path: String)
    case url(String)

    /// An `http://` or `https://` URL, or else a file path.
    public init(_ destination: String) {
        self = destination.hasPrefix("http://") || destination.hasPrefix("https://") ? .url(destination) : .file(path: destination)
    }

    /// The line a witness keeps for `checkpoint`: the form `audit export` writes and `audit verify` reads.
    static func line(_ checkpoint: Checkpoint) -> String {
        JSONValue.object([("checkpoint", checkpoint.json)]).serialized(pretty: false) + "\n"
    }

    /// Appends (and syncs) or sends one checkpoint; throws when the witness did not take it.
    func record(_ checkpoint: Checkpoint) async throws {
        let line = Self.line(checkpoint)
        switch self {
        case .file(let path):
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw WitnessError("cannot create the audit witness file '\(path)'")
                }
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw WitnessError("cannot open the audit witness file '\(path)' for writing")
            }
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line.utf8))
            try handle.synchronize()
        case .url(let url):
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: line))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            guard (200..<300).contains(response.status.code) else {
                throw WitnessError("the audit witness at \(url) answered \(response.status.code)")
            }
        }
    }
}

struct WitnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
