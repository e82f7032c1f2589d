import Foundation

/// Where output goes, and whether it may be coloured.
enum Terminal {
    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static var standardOutputSupportsColor: Bool {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return !noColor && isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Writes to standard output. A reader that has gone (`blastwall rollout list | head -3`) ends the command
    /// quietly, with status 0, as it asked for no more; `Main` ignores SIGPIPE so that this is where it is seen.
    static func write(_ text: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            exit(0)
        }
    }

    static func printError(_ text: String) {
        // Nowhere left to say it if standard error is closed too.
        try? FileHandle.standardError.write(contentsOf: Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
