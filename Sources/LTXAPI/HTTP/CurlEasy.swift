import CCurl
import Foundation

/// Sole owner of one libcurl easy handle and of everything attached to it (header list, MIME body).
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>? = nil
    private var mime: OpaquePointer? = nil
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var retainedStrings: [UnsafeMutablePointer<CChar>] = []

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init() throws(CurlError) {
        let status = CurlEasy.globalInit
        guard status == CURLE_OK else { throw CurlError(status, "curl_global_init") }
        guard let handle = curl_easy_init() else { throw CurlError(CURLE_FAILED_INIT, "curl_easy_init") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try check(ltx_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
    }

    deinit {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
        if let mime { curl_mime_free(mime) }
        for string in retainedStrings { free(string) }
        errorBuffer.deallocate()
    }

    private func check(_ status: CURLcode, _ option: String) throws(CurlError) {
        if status != CURLE_OK { throw CurlError(status, "setting \(option)") }
    }

    func set(_ option: CURLoption, _ value: Int, _ name: String) throws(CurlError) {
        try check(ltx_curl_setopt_long(handle, option, value), name)
    }

    func set(_ option: CURLoption, offset value: Int64, _ name: String) throws(CurlError) {
        try check(ltx_curl_setopt_offset(handle, option, curl_off_t(value)), name)
    }

    /// Sets a string option; libcurl copies strings, the copy here only guards older versions.
    func set(_ option: CURLoption, _ value: String, _ name: String) throws(CurlError) {
        guard let copy = strdup(value) else { throw CurlError(CURLE_OUT_OF_MEMORY, name) }
        retainedStrings.append(copy)
        try check(ltx_curl_setopt_string(handle, option, copy), name)
    }

    func set(userData: UnsafeMutableRawPointer) throws(CurlError) {
        try check(ltx_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, userData), "CURLOPT_WRITEDATA")
        try check(ltx_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, userData), "CURLOPT_HEADERDATA")
        try check(ltx_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, userData), "CURLOPT_XFERINFODATA")
        try check(ltx_curl_setopt_pointer(handle, CURLOPT_READDATA, userData), "CURLOPT_READDATA")
    }

    func set(writeFunction: ltx_curl_data_callback, headerFunction: ltx_curl_data_callback, progress: ltx_curl_progress_callback) throws(CurlError) {
        try check(ltx_curl_setopt_write_function(handle, writeFunction), "CURLOPT_WRITEFUNCTION")
        try check(ltx_curl_setopt_header_function(handle, headerFunction), "CURLOPT_HEADERFUNCTION")
        try check(ltx_curl_setopt_progress_function(handle, progress), "CURLOPT_XFERINFOFUNCTION")
        try set(CURLOPT_NOPROGRESS, 0, "CURLOPT_NOPROGRESS")
    }

    func set(readFunction: ltx_curl_data_callback) throws(CurlError) {
        try check(ltx_curl_setopt_read_function(handle, readFunction), "CURLOPT_READFUNCTION")
    }

    func set(headers: [(String, String)]) throws(CurlError) {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        for (name, value) in headers {
            // "Name:" with nothing after the colon removes a header libcurl would otherwise add itself.
            let line = value.isEmpty ? "\(name):" : "\(name): \(value)"
            guard let appended = curl_slist_append(headerList, line) else {
                throw CurlError(CURLE_OUT_OF_MEMORY, "curl_slist_append")
            }
            headerList = appended
        }
        try check(ltx_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
    }

    /// Attaches a multipart/form-data body; file parts are streamed from disk by libcurl.
    func set(multipart parts: [MultipartPart]) throws(CurlError) {
        guard let mime = curl_mime_init(handle) else { throw CurlError(CURLE_OUT_OF_MEMORY, "curl_mime_init") }
        self.mime = mime
        for part in parts {
            guard let p = curl_mime_addpart(mime) else { throw CurlError(CURLE_OUT_OF_MEMORY, "curl_mime_addpart") }
            switch part {
            case .field(let name, let value):
                try check(curl_mime_name(p, name), "multipart name \(name)")
                try check(curl_mime_data(p, value, value.utf8.count), "multipart field \(name)")
            case .file(let name, let path, let filename, let contentType):
                try check(curl_mime_name(p, name), "multipart name \(name)")
                try check(curl_mime_filedata(p, path), "multipart file \(path)")
                try check(curl_mime_filename(p, filename), "multipart filename \(filename)")
                try check(curl_mime_type(p, contentType), "multipart type \(contentType)")
            }
        }
        try check(ltx_curl_setopt_mime(handle, mime), "CURLOPT_MIMEPOST")
    }

    /// Runs the transfer on the calling thread (blocking).
    func perform() throws(CurlError) {
        errorBuffer[0] = 0
        let status = curl_easy_perform(handle)
        if status != CURLE_OK {
            throw CurlError(status, "HTTP transfer", detail: String(cString: errorBuffer))
        }
    }

    func info(long option: CURLINFO) -> Int {
        var value = 0
        _ = ltx_curl_getinfo_long(handle, option, &value)
        return value
    }

    func info(offset option: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        _ = ltx_curl_getinfo_offset(handle, option, &value)
        return Int64(value)
    }

    func info(string option: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>? = nil
        guard ltx_curl_getinfo_string(handle, option, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}
