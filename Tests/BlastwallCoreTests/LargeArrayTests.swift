import PropertyBased
import Testing

@testable import BlastwallCore

/// Long arrays are mapped and written on two threads; the results must be those of one.
@Suite struct LargeArrayTests {
    @Test func aLongArrayIsWrittenAsOneThreadWouldWriteIt() throws {
        let count = JSONValue.itemsWrittenInParallel + 7
        let numbers = JSONValue.array((0..<count).map { .int(Int64($0) - 5) })
        #expect(numbers.serialized(pretty: false) == "[" + (0..<count).map { String($0 - 5) }.joined(separator: ",") + "]")
        #expect(numbers.serialized() == "[\n" + (0..<count).map { "  \($0 - 5)" }.joined(separator: ",\n") + "\n]")
        let nested = JSONValue.object([
            ("files", .array((0..<count).map { .object([("path", .string("f\($0)")), ("n", .int(Int64($0)))]) }))
        ])
        #expect(try JSONParser.parse(nested.serialized()) == nested)
        #expect(JSONValue.int(.min).serialized() == String(Int64.min) && JSONValue.int(0).serialized() == "0")
    }

    @Test func concurrentMapKeepsTheOrder() async {
        await propertyCheck(count: 50, input: Gen.int(in: -1000...1000).array(of: 0...20_000)) { numbers in
            #expect(numbers.concurrentMap(atLeast: 100) { $0 * 3 } == numbers.map { $0 * 3 })
        }
    }
}
