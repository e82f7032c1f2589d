/// Simple (one scalar to one scalar) case folding, as the `i` flag uses it.
enum CaseFolding {
    /// The scalar every case of `scalar` folds to: `K`, `k` and the Kelvin sign all fold to `k`.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value < 128 { return (0x41...0x5A).contains(value) ? Unicode.Scalar(value + 32)! : scalar }
        let upper = single(scalar.properties.uppercaseMapping) ?? scalar
        return single(upper.properties.lowercaseMapping) ?? single(scalar.properties.lowercaseMapping) ?? scalar
    }

    /// The other cases of `scalar` that are single scalars.
    static func variants(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let properties = scalar.properties
        let candidates = [fold(scalar), single(properties.uppercaseMapping), single(properties.lowercaseMapping)]
        return candidates.compactMap { $0 }.filter { $0 != scalar }
    }

    /// Whether folding changes anything for this scalar, so that a literal needs the folded comparison.
    static func hasOtherCases(_ scalar: Unicode.Scalar) -> Bool {
        !variants(of: scalar).isEmpty
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        var scalars = text.unicodeScalars.makeIterator()
        guard let first = scalars.next(), scalars.next() == nil else { return nil }
        return first
    }
}
