// The plain text of attached documents, for the full-text search index of
// methodological products. Users attach office documents, PDFs, plain text
// and web pages (and videos and images, which have no text); the index needs
// their words.
//
// The files come from anyone in the network and may be large, damaged or
// hostile (zip bombs, XML entity bombs, PDFs that make a parser hang or
// crash). Extraction therefore never throws for a file's content, never
// expands what a file declares (zip sizes, XML entities), bounds what it
// reads and keeps, and runs the PDF parser in a separate process under a
// timeout. A bad file only gives less text, with a short reason for people.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace setevoe::core {

enum class DocKind { none, docx, odt, pptx, odp, pdf, text, html };

// The kind of document by the file name's extension, case-insensitive:
// .docx .docm → docx; .odt .ott → odt; .pptx → pptx; .odp → odp; .pdf;
// .txt .md .markdown .csv → text; .html .htm .xhtml → html; everything else
// none.
DocKind document_kind(std::string_view file_name);

struct Extracted {
  std::string text;        // UTF-8, paragraphs separated by '\n', runs of whitespace collapsed
  bool truncated = false;  // stopped at the limit
  // Empty, or why less text than expected came out (translated with tr()),
  // e.g. «не удалось прочитать PDF: …».
  std::string problem;
};

// Reads at most `limit` bytes of text (cut at a UTF-8 boundary). Never throws
// for the file's content; an unreadable file gives an empty text and a
// problem. The file is named by the caller (objects of the store are named
// by their hash), hence the kind is passed apart from it. The text is always
// valid UTF-8 (invalid sequences become U+FFFD), without control characters
// other than '\n' and '\t' (nor soft hyphens and private-use symbols, which
// would split or make words for the search index), with no empty lines and
// no leading or trailing white space on a line. A kind of none gives an
// empty text and no problem.
Extracted extract_text(const std::filesystem::path& file, DocKind kind, std::size_t limit = 1 << 20);

// How much work one extraction may do. The defaults are what extract_text
// uses; the tests make them small to reach them fast.
struct ExtractLimits {
  // Uncompressed bytes read from one part (entry) of a zip, and from all the
  // parts of one document: a zip bomb stops here, however large it claims
  // or turns out to be.
  std::uint64_t zip_entry_bytes = 64ull << 20;
  std::uint64_t zip_total_bytes = 256ull << 20;
  // Zips with more entries are refused (their directory alone is large).
  std::uint64_t zip_entries = 100000;
  // Bytes read from a plain text or HTML file.
  std::uint64_t source_bytes = 64ull << 20;
  // pdftotext is killed when it runs longer, or when its address space would
  // grow past pdf_memory bytes (it fails then).
  std::chrono::milliseconds pdf_timeout{20000};
  std::uint64_t pdf_memory = 2ull << 30;
};

// extract_text with other limits.
Extracted extract_text(const std::filesystem::path& file, DocKind kind, std::size_t limit, const ExtractLimits& limits);

}  // namespace setevoe::core
