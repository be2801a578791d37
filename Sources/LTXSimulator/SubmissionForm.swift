import Foundation

/// One field of a submit body, from JSON or from a multipart part.
enum FieldValue: Sendable {
    case text(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case file(UploadedFile)
    case compound(String)

    /// A name for messages ("a number", "a file").
    var typeName: String {
        switch self {
        case .text: return "a string"
        case .integer, .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .file: return "a file"
        case .compound(let kind): return kind
        }
    }
}

/// A file part of a multipart submit.
struct UploadedFile: Sendable {
    /// The part's bytes (a slice of the request body, not a copy).
    let bytes: ArraySlice<UInt8>
    /// The `filename` of its Content-Disposition, when given.
    let filename: String?
    /// Its Content-Type, when given.
    let contentType: String?
}

/// The fields of a submit, whichever encoding the client chose.
struct SubmissionForm: Sendable {
    /// Fields by name; for repeated multipart names the first one wins.
    var fields: [String: FieldValue]

    /// Parses a JSON object body or a `multipart/form-data` body, chosen by Content-Type (JSON when absent).
    static func parse(contentType: String?, body: [UInt8]) throws(SimulatorError) -> SubmissionForm {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? "application/json"
        switch mediaType {
        case "multipart/form-data":
            return try multipart(contentType: contentType ?? "", body: body)
        case "application/json", "text/json", "":
            return try json(body)
        default:
            if mediaType.hasSuffix("+json") { return try json(body) }
            throw .invalid("Content-Type \(mediaType) is not supported; send application/json or multipart/form-data")
        }
    }

    static func json(_ body: [UInt8]) throws(SimulatorError) -> SubmissionForm {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw .invalid("request body is not valid JSON (\(Self.reason(error))); send a JSON object")
        }
        guard case .object(let object) = value else {
            throw .invalid("request body must be a JSON object, got \(value.typeName)")
        }
        return SubmissionForm(fields: object.mapValues(\.field))
    }

    static func multipart(contentType: String, body: [UInt8]) throws(SimulatorError) -> SubmissionForm {
        let parts: [MultipartPart]
        do {
            let boundary = try MultipartParser.boundary(fromContentType: contentType)
            parts = try MultipartParser.parse(body, boundary: boundary)
        } catch {
            throw .invalid("malformed multipart body: \(error.description)")
        }
        var fields: [String: FieldValue] = [:]
        for part in parts where fields[part.name] == nil {
            if part.isFile {
                fields[part.name] = .file(UploadedFile(bytes: part.body, filename: part.filename, contentType: part.contentType))
            } else {
                guard let text = String(bytes: part.body, encoding: .utf8) else {
                    throw .invalid("multipart field \(part.name) is not UTF-8 text; send files with a filename")
                }
                fields[part.name] = .text(text)
            }
        }
        return SubmissionForm(fields: fields)
    }

    /// A text field, nil when absent or null.
    func string(_ name: String) throws(SimulatorError) -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .text(let text)?: return text
        case let other?: throw .invalid("\(name) must be a string, got \(other.typeName)")
        }
    }

    /// A whole-number field (JSON integer, integral JSON number or decimal text), nil when absent or null.
    func integer(_ name: String) throws(SimulatorError) -> Int? {
        let unit = name == "duration" ? " of seconds" : ""
        switch fields[name] {
        case nil, .null?:
            return nil
        case .integer(let value)?:
            return value
        case .number(let value)?:
            guard value == value.rounded(), abs(value) < 1e15 else {
                throw .invalid("\(name) must be a whole number\(unit), got \(value)")
            }
            return Int(value)
        case .text(let text)?:
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw .invalid("\(name) must be a whole number\(unit), got \"\(text.prefix(40))\"")
            }
            return value
        case let other?:
            throw .invalid("\(name) must be a whole number\(unit), got \(other.typeName)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        }
        return "\(error)"
    }
}
