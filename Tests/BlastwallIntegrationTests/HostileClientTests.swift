import BlastwallTestSupport
import Foundation
import Testing

/// A hostile client against the real server: slow and idle connections are closed on time, a huge declared
/// body is refused at once, one address cannot hold every connection, guessed tokens are throttled, logged
/// and audited, and the server keeps answering throughout.
@Suite struct HostileClientTests {
    /// Runs `script` (Python, with the server's port as sys.argv[1]) and returns its standard output.
    func client(_ server: LiveServer, _ script: String) async throws -> String {
        let result = try await ProcessRunner.python(["-c", script, String(server.port), server.adminToken])
        try #require(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func slowIdleAndOversizedRequestsAreCutOff() async throws {
        let server = try await LiveServer(extraArguments: [
            "--header-timeout", "1s", "--body-timeout", "2s", "--idle-timeout", "3s", "--max-connections-per-client", "8",
        ])
        defer { server.stop() }
        let output = try await client(
            server,
            #"""
            import socket, sys, time
            port, token = int(sys.argv[1]), sys.argv[2]
            def closed_after(sock, limit=15):
                sock.settimeout(limit); start = time.time()
                try:
                    while sock.recv(4096): pass
                except socket.timeout:
                    return None
                return time.time() - start
            # Twenty slowloris connections: headers a byte at a time, never finished.
            slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(6)]
            for s in slow: s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            print("slow_headers", max(closed_after(s) or 99 for s in slow))
            s = socket.create_connection(("127.0.0.1", port))
            s.send(b"POST /api/v1/switches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nAuthorization: Bearer " + token.encode() + b"\r\n\r\n{")
            print("slow_body", closed_after(s))
            s = socket.create_connection(("127.0.0.1", port))
            s.send(b"POST /api/v1/switches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\nAuthorization: Bearer " + token.encode() + b"\r\n\r\n")
            s.settimeout(5); start = time.time(); status = s.recv(200).split(b"\r\n")[0].decode()
            print("huge_body", status, round(time.time() - start, 2))
            s = socket.create_connection(("127.0.0.1", port))
            s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); s.recv(4096)
            print("idle", closed_after(s))
            held = [socket.create_connection(("127.0.0.1", port)) for _ in range(12)]
            time.sleep(0.3)
            answered = 0
            for h in held:
                try:
                    h.settimeout(2); h.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                    if h.recv(100).startswith(b"HTTP/1.1 200"): answered += 1
                except OSError: pass
            print("answered_of_12", answered)
            """#)
        let values = Dictionary(
            uniqueKeysWithValues: output.split(separator: "\n").map { line in
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            })
        let slowHeaders = Double(values["slow_headers"] ?? "") ?? 99
        #expect(slowHeaders >= 0.9 && slowHeaders < 4, "slowloris connections closed after \(slowHeaders) s (limit 1 s)")
        let slowBody = Double(values["slow_body"] ?? "") ?? 99
        #expect(slowBody >= 1.9 && slowBody < 5, "an unfinished body closed after \(slowBody) s (limit 2 s)")
        #expect(values["huge_body"]?.hasPrefix("HTTP/1.1 413") == true, "\(values["huge_body"] ?? output)")
        let hugeSeconds = Double(values["huge_body"]?.split(separator: " ").last ?? "") ?? 99
        #expect(hugeSeconds < 1, "413 at once, not after waiting for the body")
        let idle = Double(values["idle"] ?? "") ?? 99
        #expect(idle >= 2.9 && idle < 6, "an idle kept-alive connection closed after \(idle) s (limit 3 s)")
        #expect(values["answered_of_12"] == "8", "one address holds at most 8 connections: \(output)")
        #expect(try await HTTP.get(server.url + "/healthz").status == 200, "the server answers afterwards")
    }

    @Test func guessedTokensAreThrottledLoggedCountedAndAudited() async throws {
        let server = try await LiveServer()
        var statuses: [Int] = []
        var retryAfter: String?
        for attempt in 0..<25 {
            let reply = try await HTTP.send("GET", server.url + "/api/v1/switches", headers: ["Authorization": "Bearer bw_guess\(attempt)"])
            statuses.append(reply.status)
            if reply.status == 429, retryAfter == nil {
                let raw = try await client(
                    server,
                    #"""
                    import socket, sys
                    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                    s.send(b"GET /api/v1/switches HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n\r\n")
                    print(s.recv(4096).decode())
                    """#)
                retryAfter = raw.split(separator: "\r\n").first { $0.lowercased().hasPrefix("retry-after:") }.map(String.init)
            }
        }
        #expect(statuses.prefix(20).allSatisfy { $0 == 401 }, "\(statuses)")
        #expect(statuses.suffix(5).allSatisfy { $0 == 429 }, "\(statuses)")
        #expect(retryAfter.map { Int($0.split(separator: " ").last ?? "") ?? 0 > 0 } == true, "\(retryAfter ?? "no Retry-After")")
        // The address is refused whatever token it sends while blocked; /healthz stays open.
        #expect(try await HTTP.get(server.url + "/api/v1/switches", token: server.adminToken).status == 429)
        #expect(try await HTTP.get(server.url + "/healthz").status == 200)
        let metrics = try await HTTP.get(server.url + "/metrics").body
        #expect(metrics.contains("blastwall_sign_in_failures_total 20"), "\(metrics.prefix(2000))")

        server.stop(signal: SIGTERM)
        let log = try String(contentsOfFile: server.logPath, encoding: .utf8)
        #expect(log.components(separatedBy: "sign-in failed").count - 1 == 20, "each failure is logged once")
        #expect(!log.contains("bw_guess"), "the log never holds a token")
        try await server.start()
        let search = try await server.cli(
            ["audit", "search", "--action", "auth.sign_in_failed", "--format", "json"], token: server.adminToken)
        #expect(search.stdout.contains(#""failures":20"#) || search.stdout.contains(#""failures": 20"#), "\(search.stdout)\(search.stderr)")
        server.stop()
    }
}
