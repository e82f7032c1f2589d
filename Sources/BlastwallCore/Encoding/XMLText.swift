/// Text made safe for XML and HTML, in elements and in quoted attributes (JUnit reports, SVG charts).
public func xmlEscaped(_ text: some StringProtocol) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default:
            // XML 1.0 forbids most control characters, even escaped.
            if scalar.value < 0x20, scalar != "\n", scalar != "\t", scalar != "\r" { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}
