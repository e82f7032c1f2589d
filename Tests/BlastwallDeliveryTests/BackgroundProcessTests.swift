import BlastwallTestSupport
import Foundation
import Testing

/// The services tests start must not inherit the test process's other descriptors: an nginx that held the
/// write end of another test's stdin pipe once left that test's python waiting for end of input forever.
@Suite struct BackgroundProcessTests {
    @Test func aStartedServiceHoldsOnlyStandardInputOutputAndError() async throws {
        let folder = try TemporaryFolder("spawn")
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        defer { for descriptor in descriptors { close(descriptor) } }
        let process = try BackgroundProcess("sleep", ["30"], directory: folder.path)
        defer { process.stop(signal: SIGKILL) }
        // The shell that changes folder execs sleep; wait for that before looking at what it holds.
        let deadline = Date().addingTimeInterval(30)
        var program = ""
        while Date() < deadline && !program.hasSuffix("/sleep") {
            let command = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/cmdline", encoding: .utf8)) ?? ""
            program = String(command.split(separator: "\0").first ?? "")
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(program.hasSuffix("/sleep"), "sleep started: \(program)")
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").compactMap(Int32.init)
        #expect(open.sorted() == [0, 1, 2], "the child holds \(open.sorted())")
    }
}
