/// Git's C-style path quoting, as used in diff headers for paths with special or non-ASCII bytes.
public enum GitPathQuoting {
    /// Decodes `"a/caf\303\251"`-style quoted bytes (without the quotes) to raw bytes.
    public static func unquote(_ quoted: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(quoted.count)
        var index = quoted.startIndex
        while index < quoted.endIndex {
            let byte = quoted[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < quoted.endIndex else {
                result.append(byte)
                continue
            }
            let escaped = quoted[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "a"): result.append(0x07)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "v"): result.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < quoted.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(quoted[index]) {
                    value = value * 8 + Int(quoted[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                result.append(UInt8(truncatingIfNeeded: value))
            default: result.append(escaped)
            }
        }
        return result
    }

    /// A path as text. Bytes that are not UTF-8 become `\NNN` octal escapes, as git prints them,
    /// so such paths stay distinct and visible instead of being silently altered.
    public static func displayString(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let all = Array(bytes)
        var result = ""
        var index = 0
        while index < all.count {
            let length = scalarLength(all, at: index)
            if length > 0, let scalar = String(validating: all[index..<index + length], as: UTF8.self) {
                result += scalar
                index += length
            } else {
                result += "\\" + String(all[index], radix: 8)
                index += 1
            }
        }
        return result
    }

    private static func scalarLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        return index + length <= bytes.count ? length : 0
    }
}
