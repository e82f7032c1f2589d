import Logging

/// Runs `body` at once and then every `interval` until the task is cancelled. A failure is logged and the
/// work is tried again next time: background upkeep never stops the server.
func periodically(every interval: Duration, logger: Logger, failing problem: String, _ body: () async throws -> Void) async {
    while !Task.isCancelled {
        do {
            try await body()
        } catch {
            logger.warning("\(problem); retrying", metadata: ["error": "\(error)"])
        }
        try? await Task.sleep(for: interval)
    }
}
