import BlastwallCore

/// systemctl, service, launchctl, crontab and the power commands: stopping a service or a machine, or
/// removing every scheduled job, is destructive.
struct ServiceManagerRecognizer: CommandRecognizer {
    let programs = [
        "systemctl", "service", "launchctl", "shutdown", "reboot", "halt", "poweroff", "init", "kill", "killall", "pkill", "crontab",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: invocation.program == "service" ? "systemctl" : invocation.program)
        if let host = invocation.value(of: "-H", "--host") { recognition.signals.append(EnvironmentSignal(.sshHosts, host)) }
        let words = FileSystemRecognizer.operands(
            invocation, valueOptions: ["-H", "--host", "-M", "--machine", "-t", "--type", "-p", "--property", "-s", "--signal", "-n"])
        let shown = ([invocation.program] + words).joined(separator: " ")
        switch invocation.program {
        case "shutdown", "reboot", "halt", "poweroff", "init":
            recognition.verb = invocation.program
            recognition.add(.destructive, shown, "takes the machine down")
            return recognition
        case "crontab":
            recognition.verb = "crontab"
            if invocation.has("-r") {
                recognition.add(.destructive, shown, "crontab -r removes every scheduled job")
            } else if invocation.has("-l") {
                recognition.add(.read, shown, "lists scheduled jobs")
            } else {
                recognition.add(.write, shown, "replaces the scheduled jobs")
            }
            return recognition
        case "kill", "killall", "pkill":
            recognition.verb = invocation.program
            let listing = invocation.has("-l", "-L", "--list")
            recognition.add(listing ? .read : .write, shown, listing ? "lists signals" : "stops processes")
            return recognition
        default:
            break
        }
        // `service NAME ACTION` vs `systemctl ACTION NAME…`.
        let (action, units) =
            invocation.program == "service"
            ? (words.dropFirst().first ?? "status", Array(words.prefix(1))) : (words.first ?? "list-units", Array(words.dropFirst()))
        recognition.verb = action
        recognition.resources += units.map { "unit/\($0)" }
        recognition.serviceCandidates += units.map { $0.split(separator: ".").first.map(String.init) ?? $0 }
        switch action {
        case "stop", "disable", "mask", "kill", "poweroff", "reboot", "halt", "isolate", "emergency", "rescue", "unload", "remove",
            "bootout":
            recognition.add(.destructive, shown, "\(action) takes a service out of service")
        case "status", "show", "list-units", "list-unit-files", "is-active", "is-enabled", "is-failed", "cat", "list-timers",
            "list-sockets", "list-dependencies", "help", "print", "list", "get-default":
            recognition.add(.read, shown, "\(action) only reads")
        default:
            recognition.add(.write, shown, "\(action) changes a service")
        }
        return recognition
    }
}
