import BlastwallCore
import BlastwallStorage
import Foundation
import Logging

// Fills a database's audit log with N chained events for the `audit verify` benchmark, in
// transactions of 10,000 so seeding a million events takes seconds rather than an hour of fsyncs.
// Usage: blastwall-audit-seed DATABASE COUNT
let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]), count > 0 else {
    FileHandle.standardError.write(Data("usage: blastwall-audit-seed DATABASE COUNT\n".utf8))
    exit(2)
}
let database = try await DatabaseURL(parsing: arguments[1]).open(logger: Logger(label: "audit-seed"))
_ = try await Migrations.apply(to: database, now: "2026-11-23T00:00:00Z")
let batch = 10_000
var written = 0
while written < count {
    let size = min(batch, count - written)
    let start = written
    try await database.transaction { transaction in
        for index in start..<(start + size) {
            let payload = JSONValue.object([("enabled", .bool(index % 2 == 0)), ("reason", .string("benchmark flip \(index)"))])
            try await AuditLog.append(
                transaction, time: "2026-11-23T00:00:00.000Z", actor: "bench", action: "switch.flipped",
                subject: "switch/bench-\(index % 100)", payload: payload)
        }
    }
    written += size
}
try await database.close()
print("seeded \(written) audit events")
