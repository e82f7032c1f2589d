import Foundation

/// A real service started for a test (HAProxy, nginx, Prometheus, a backend), killed when the test ends.
///
/// Spawned with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process`: swift-subprocess,
/// which the code under test uses, watches children too, and `Process.waitUntilExit` then never returns.
public final class BackgroundProcess: @unchecked Sendable {
    // Set once in init; `stop` is called by the owning test only.
    public let processIdentifier: pid_t
    public let logPath: String
    private var exited = false

    public init(_ executable: String, _ arguments: [String], directory: String, environment: [String: String] = [:]) throws {
        let path = Self.resolve(executable)
        logPath = directory + "/\(URL(fileURLWithPath: executable).lastPathComponent)-\(UUID().uuidString.prefix(8)).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else is inherited: a server that kept the write end of another test's pipe open (concurrent
        // spawns) would leave that test's child waiting for end of input forever.
        _ = Self.closeFrom?(&actions, 3)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        // posix_spawn has no portable working-directory action here; a shell changes folder, then execs.
        let shell = ["/bin/sh", "-c", #"cd "$0" && exec "$@""#, directory, path]
        let argv = (shell + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        guard status == 0 else {
            throw NSError(
                domain: "BackgroundProcess", code: Int(status),
                userInfo: [NSLocalizedDescriptionKey: "cannot start \(path): \(String(cString: strerror(status)))"])
        }
        processIdentifier = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module does not import.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    public var isRunning: Bool {
        guard !exited else { return false }
        var status: Int32 = 0
        let result = waitpid(processIdentifier, &status, WNOHANG)
        if result == processIdentifier || (result == -1 && errno == ECHILD) { exited = true }
        return !exited
    }

    /// What the process wrote so far, for failure messages.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public func stop(signal: Int32 = SIGTERM) {
        guard isRunning else { return }
        kill(processIdentifier, signal)
        var status: Int32 = 0
        for _ in 0..<100 {
            let result = waitpid(processIdentifier, &status, WNOHANG)
            if result == processIdentifier || result == -1 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if waitpid(processIdentifier, &status, WNOHANG) == 0 {
            kill(processIdentifier, SIGKILL)
            _ = waitpid(processIdentifier, &status, 0)
        }
        exited = true
    }

    deinit { stop(signal: SIGKILL) }

    /// A program by name from PATH, or from the sbin folders Debian puts servers in.
    public static func resolve(_ name: String) -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin"] {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return name
    }

    public static func isInstalled(_ name: String) -> Bool { resolve(name).contains("/") }

    /// Tests of a real program run where it is installed, and always in CI, where a missing program must
    /// fail the run rather than skip its tests.
    public static func shouldTest(_ name: String) -> Bool {
        isInstalled(name) || ProcessInfo.processInfo.environment["CI"] != nil
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
public func freeLoopbackPort() -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Waits until something accepts connections on the port, or the time is up.
public func waitForPort(_ port: Int, timeout: Double = 30) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    // One last try after the deadline: a starved pool may wake the loop only once the time is up.
    while true {
        let late = Date() >= deadline
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(descriptor)
        if connected == 0 { return true }
        if late { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
}

/// Waits until `url` answers 200 (Prometheus answers 503 while it starts), or the time is up.
public func waitUntilReady(_ url: String, timeout: Double = 30) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let reply = try? await HTTP.get(url), reply.status == 200 { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return false
}

/// A folder for one test's files, removed with the value.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    public init(_ prefix: String = "blastwall") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
