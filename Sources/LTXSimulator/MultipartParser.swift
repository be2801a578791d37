import Foundation

/// One part of a `multipart/form-data` body.
struct MultipartPart: Sendable {
    /// The `name` of its Content-Disposition.
    let name: String
    /// The `filename` of its Content-Disposition, when given.
    let filename: String?
    /// Its Content-Type, when given.
    let contentType: String?
    /// Its bytes, a slice of the body.
    let body: ArraySlice<UInt8>

    /// A file upload rather than a text field: it has a file name, or a content type other than text/plain.
    var isFile: Bool {
        if filename != nil { return true }
        guard let contentType else { return false }
        return !contentType.lowercased().hasPrefix("text/plain")
    }
}

/// Why a multipart body could not be read.
struct MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A small RFC 7578 `multipart/form-data` reader: boundary from the Content-Type, parts with their headers and bytes.
enum MultipartParser {
    /// The `boundary` parameter of a `multipart/form-data` Content-Type.
    static func boundary(fromContentType contentType: String) throws(MultipartError) -> String {
        let parameters = HeaderParameters.parse(contentType)
        guard parameters.value.lowercased() == "multipart/form-data" else {
            throw MultipartError("Content-Type is \(parameters.value), expected multipart/form-data")
        }
        guard let boundary = parameters["boundary"], !boundary.isEmpty else {
            throw MultipartError("the Content-Type has no boundary parameter")
        }
        guard boundary.utf8.count <= 70 else {
            throw MultipartError("the boundary is longer than 70 characters")
        }
        return boundary
    }

    /// Splits `body` into its parts.
    static func parse(_ body: [UInt8], boundary: String) throws(MultipartError) -> [MultipartPart] {
        let delimiter = Array("--\(boundary)".utf8)
        let nextDelimiter = Array("\r\n--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)

        // The first delimiter starts the body or follows a preamble line.
        var position: Int
        if body.starts(with: delimiter) {
            position = delimiter.count
        } else if let found = ByteSearch.find(nextDelimiter, in: body, from: 0) {
            position = found + nextDelimiter.count
        } else {
            throw MultipartError("the body does not contain the boundary \"\(boundary)\"")
        }

        var parts: [MultipartPart] = []
        while true {
            // "--" after a delimiter closes the body.
            if position + 1 < body.count, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") {
                return parts
            }
            while position < body.count, body[position] == UInt8(ascii: " ") || body[position] == UInt8(ascii: "\t") {
                position += 1
            }
            guard position + 1 < body.count, body[position] == 0x0D, body[position + 1] == 0x0A else {
                throw MultipartError("a boundary line is not followed by a line break")
            }
            position += 2
            let headersEnd: Int
            if position + 1 < body.count, body[position] == 0x0D, body[position + 1] == 0x0A {
                headersEnd = position  // a part with no headers
            } else {
                guard let end = ByteSearch.find(headerEnd, in: body, from: position) else {
                    throw MultipartError("part \(parts.count + 1) has no blank line after its headers")
                }
                headersEnd = end + 2
            }
            let headers = try parseHeaders(body[position..<headersEnd], index: parts.count + 1)
            let contentStart = headersEnd + 2
            guard let contentEnd = ByteSearch.find(nextDelimiter, in: body, from: contentStart) else {
                throw MultipartError("part \(parts.count + 1) is not closed by the boundary (body truncated?)")
            }
            guard let disposition = headers["content-disposition"] else {
                throw MultipartError("part \(parts.count + 1) has no Content-Disposition header")
            }
            let parameters = HeaderParameters.parse(disposition)
            guard parameters.value.lowercased() == "form-data", let name = parameters["name"] else {
                throw MultipartError("part \(parts.count + 1) is not form-data with a name")
            }
            parts.append(MultipartPart(
                name: name,
                filename: parameters["filename"] ?? parameters["filename*"].map(decodeExtendedValue),
                contentType: headers["content-type"],
                body: body[contentStart..<contentEnd]))
            position = contentEnd + nextDelimiter.count
        }
    }

    private static func parseHeaders(_ bytes: ArraySlice<UInt8>, index: Int) throws(MultipartError) -> [String: String] {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw MultipartError("the headers of part \(index) are not UTF-8")
        }
        var headers: [String: String] = [:]
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw MultipartError("part \(index) has a header line without a colon: \(line.prefix(60))")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// `UTF-8''na%C3%AFve.png` → `naïve.png` (RFC 5987); other charsets are returned undecoded.
    private static func decodeExtendedValue(_ value: String) -> String {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return value }
        return String(pieces[2]).removingPercentEncoding ?? String(pieces[2])
    }
}
