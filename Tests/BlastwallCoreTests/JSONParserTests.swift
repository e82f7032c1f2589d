import BlastwallCore
import Foundation
import PropertyBased
import Testing

/// Input two readers could read differently is refused, with the member it is in.
@Suite struct JSONParserTests {
    @Test(arguments: [
        (#"{"role":"viewer","role":"admin"}"#, "duplicate key 'role'", nil as String?),
        (#"{"a":{"b":1,"b":2}}"#, "duplicate key 'b'", "a"),
        (#"{"n":1e400}"#, "beyond the range of a double", "n"),
        (#"{"n":-1e400}"#, "beyond the range of a double", "n"),
        (#"{"n":123456789012345678901234567890}"#, "does not fit in 64 bits", "n"),
        (#"{"items":[1,{"x":9223372036854775808}]}"#, "does not fit in 64 bits", "items[1].x"),
        (#"{"n":01}"#, "may not start with 0", "n"), (#"{"n":1.}"#, "digits after '.'", "n"), (#"{"n":1e}"#, "exponent", "n"),
        (#"{"n":.5}"#, "unexpected character", "n"), (#"{"n":+1}"#, "unexpected character", "n"), (#"[-]"#, "unexpected character", "[0]"),
    ])
    func ambiguousInputIsRefused(text: String, words: String, field: String?) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.contains(words), "\(text): \(error)")
            #expect(error.field == field, "\(text): \(error)")
        }
    }

    @Test func numbersAtTheEdgesAreKeptExactly() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONParser.parse("1.7976931348623157e308") == .double(1.7976931348623157e308))
        #expect(try JSONParser.parse("-0") == .int(0))
        #expect(try JSONParser.parse("1E+2") == .double(100))
    }

    /// Whatever Foundation's parser accepts as a number, this one reads the same value or refuses it for a stated reason.
    @Test func numbersAgreeWithFoundation() async {
        let pieces = Gen<String?>.element(of: ["-", "0", "1", "9", ".", "e", "E", "+", "5"]).map { $0! }.array(of: 1...24).map {
            $0.joined()
        }
        await propertyCheck(count: 2000, input: pieces) { text in
            let foreign = try? JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [NSNumber]
            switch Result(catching: { try JSONParser.parse("[\(text)]") }) {
            case .success(.array(let values)):
                let number = try #require(foreign?.first, "we accepted \(text), Foundation did not")
                switch values.first {
                case .int(let value): #expect(number.int64Value == value, "\(text)")
                case .double(let value): #expect(number.doubleValue == value, "\(text)")
                default: Issue.record("\(text) gave \(values)")
                }
            case .success(let other): Issue.record("\(text) gave \(other)")
            case .failure: break
            }
        }
    }
}
