/// A JSON field that is always present: `null` when there is no value (an unknown price is `null`, never left out).
/// Synthesized `Encodable` leaves out an `Optional` that is nil; wrapped in this it writes `null` instead.
@propertyWrapper
struct ExplicitNull<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
