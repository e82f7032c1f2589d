import BlastwallCore

/// curl, wget, httpie: the method says the class (`DELETE` destroys, `POST`/`PUT`/`PATCH` write), the URL's host
/// the environment. Downloads to a file are judged as file writes.
struct HTTPClientRecognizer: CommandRecognizer {
    let programs = ["curl", "wget", "http", "https", "xh"]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: "http")
        let urls = invocation.values.filter { $0.contains("://") }
        for url in urls { recognition.signals.append(EnvironmentSignal(.hosts, KubernetesRecognizer.host(of: url))) }
        var method: String
        switch invocation.program {
        case "curl":
            method = (invocation.value(of: "-X", "--request") ?? "").uppercased()
            if method.isEmpty {
                let sendsData = invocation.has(
                    "-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "-F", "--form", "--json", "-T", "--upload-file")
                method = sendsData ? "POST" : (invocation.has("-I", "--head") ? "HEAD" : "GET")
            }
            if let output = invocation.value(of: "-o", "--output") {
                recognition.paths.append(output)
                if let finding = FileSystemRecognizer.judge(output, .overwrite, words: "-o \(output)", invocation, context) {
                    recognition.findings.append(finding)
                }
            }
        case "wget":
            method = (invocation.values.first { $0.hasPrefix("--method=") }.map { String($0.dropFirst(9)) } ?? "").uppercased()
            if method.isEmpty { method = invocation.values.contains { $0.hasPrefix("--post") } ? "POST" : "GET" }
            if invocation.value(of: "-O", "--output-document") != "-", method == "GET" {
                recognition.add(.write, invocation.text, "downloads files")
            }
        default:
            method =
                invocation.operands.first.map { $0.uppercased() }.flatMap {
                    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].contains($0) ? $0 : nil
                } ?? "GET"
        }
        recognition.verb = method
        let target = urls.first ?? ""
        switch method {
        case "GET", "HEAD", "OPTIONS":
            recognition.add(.read, "\(method) \(target)", "an HTTP \(method) only reads")
        case "DELETE":
            recognition.add(.destructive, "-X DELETE \(target)", "an HTTP DELETE removes what the URL names")
        default:
            recognition.add(.write, "\(method) \(target)", "an HTTP \(method) changes what the URL names")
        }
        return recognition
    }
}
