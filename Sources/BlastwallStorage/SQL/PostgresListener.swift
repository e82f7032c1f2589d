import Logging
import PostgresNIO

/// Notifications from other servers: `LISTEN` on a connection of its own, outside the pool (a pool
/// connection held forever would starve the pool, and the pool's shutdown would stall on it).
extension PostgresDatabase {
    public func listen(to channel: String, onNotification: @escaping @Sendable () -> Void) async {
        var lastFailure: String?
        while !Task.isCancelled {
            do {
                let connection = try await dedicatedConnection(named: "blastwall listener")
                defer { Task { try? await connection.close() } }
                lastFailure = nil
                try await connection.listen(on: channel) { notifications in
                    // Notifications may have been missed while there was no connection.
                    onNotification()
                    for try await _ in notifications { onNotification() }
                }
            } catch  where !Task.isCancelled {
                let failure = String(describing: error)
                if failure != lastFailure {
                    logger.warning("listening for other servers' writes failed; trying again", metadata: ["error": "\(failure)"])
                    lastFailure = failure
                }
            } catch {}
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
