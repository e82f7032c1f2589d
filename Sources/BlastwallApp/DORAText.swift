import BlastwallCore

/// `blastwall dora`'s table: one row per group, each figure with its band and the count behind it.
public enum DORAText {
    public static func table(_ report: JSONValue) -> String {
        var out =
            "DORA since \(report["since"]?.stringValue ?? "") (\(format(report["days"]?.doubleValue)) days), by \(report["by"]?.stringValue ?? "")\n\n"
        out += pad("GROUP", 16) + pad("DEPLOYS", 9) + pad("PER DAY", 16) + pad("LEAD TIME", 20) + pad("FAILURE RATE", 22) + "RECOVERY\n"
        for group in report["groups"]?.arrayValue ?? [] {
            let frequency = group["deployment_frequency"]
            let lead = group["lead_time"]
            let failure = group["change_failure_rate"]
            let recovery = group["failed_deployment_recovery_time"]
            out += pad(group["group"]?.stringValue ?? "", 16) + pad(String(group["deployments"]?.intValue ?? 0), 9)
            out += pad("\(format(frequency?["per_day"]?.doubleValue)) \(band(frequency))", 16)
            out += pad("\(hours(lead?["median_hours"]?.doubleValue)) \(band(lead)) n=\(lead?["count"]?.intValue ?? 0)", 20)
            let rate = failure?["rate"]?.doubleValue.map { format($0 * 100) + "%" } ?? "—"
            out += pad("\(rate) \(band(failure)) \(failure?["failed"]?.intValue ?? 0) failed", 22)
            out += "\(hours(recovery?["median_hours"]?.doubleValue)) \(band(recovery)) n=\(recovery?["count"]?.intValue ?? 0)\n"
        }
        let ranking = report["ranking"]
        if let confirmed = ranking?["confirmed_incidents"]?.intValue, confirmed > 0 {
            out +=
                "\nSuspect ranking: the confirmed cause was ranked first in \(ranking?["cause_ranked_first"]?.intValue ?? 0) of \(confirmed) incidents"
            out += ranking?["mean_cause_rank"]?.doubleValue.map { " (mean rank \(format($0)))" } ?? ""
            out += "\n"
        }
        return out
    }

    static func band(_ value: JSONValue?) -> String { value?["band"]?.stringValue.map { "(\($0))" } ?? "" }

    static func hours(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value < 48 ? "\(format(value)) h" : "\(format(value / 24)) d"
    }

    static func format(_ value: Double?) -> String {
        guard let value else { return "—" }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
