/// `1 file`, `2 files`: a count with its noun, for messages and reports. `plural` for nouns that add more than "s".
public func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}
