// libFuzzer target: text extraction from attached documents (core/extract),
// which reads files anyone in the network may send. The first byte of the
// input chooses what the rest is: the main XML part of a DOCX, ODT, PPTX or
// ODP (in a zip the target builds, so that mutations reach the XML reader
// rather than stop at the zip's CRC), a whole file given as a DOCX (the zip
// reader itself), or a plain text or HTML file. PDF is left out: pdftotext
// runs in a process of its own under a timeout.
//
// Besides crashes and sanitizer reports, a finding is an output that breaks
// extract_text's promises: invalid UTF-8, a control character other than
// '\n' and '\t', more text than the limit, an empty line, or white space at
// either end of a line.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/extract.hpp"
#include "core/util/text.hpp"
#include "fuzz_common.hpp"

namespace {

using namespace setevoe;

constexpr std::size_t k_limit = 1 << 16;

[[noreturn]] void broken(const char* promise, const std::string& text) {
  std::fprintf(stderr, "extract_text broke a promise: %s (text of %zu bytes)\n", promise, text.size());
  std::abort();
}

void check(const core::Extracted& out) {
  const auto& t = out.text;
  if (t.size() > k_limit) broken("more text than the limit", t);
  if (!util::valid_utf8(t)) broken("invalid UTF-8", t);
  for (unsigned char c : t)
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) broken("a control character", t);
  std::size_t start = 0;
  while (start < t.size()) {
    auto end = t.find('\n', start);
    if (end == std::string::npos) end = t.size();
    auto line = std::string_view(t).substr(start, end - start);
    if (line.empty()) broken("an empty line", t);
    if (line.front() == ' ' || line.front() == '\t' || line.back() == ' ' || line.back() == '\t')
      broken("white space at the end of a line", t);
    start = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::InputFile file;
  if (size == 0) return 0;
  std::string payload(reinterpret_cast<const char*>(data) + 1, size - 1);
  core::ExtractLimits limits;
  limits.zip_entry_bytes = 1 << 20;
  limits.zip_total_bytes = 4 << 20;
  limits.source_bytes = 1 << 20;
  const char* part = nullptr;
  core::DocKind kind = core::DocKind::docx;
  switch (data[0] % 7) {
    case 0:
      part = "word/document.xml", kind = core::DocKind::docx;
      break;
    case 1:
      part = "content.xml", kind = core::DocKind::odt;
      break;
    case 2:
      part = "ppt/slides/slide1.xml", kind = core::DocKind::pptx;
      break;
    case 3:
      part = "content.xml", kind = core::DocKind::odp;
      break;
    case 4:
      kind = core::DocKind::docx;
      break;  // the whole input is the file
    case 5:
      kind = core::DocKind::text;
      break;
    default:
      kind = core::DocKind::html;
      break;
  }
  const auto& path = file.write(part ? fuzz::make_zip({{part, payload}}) : payload);
  check(core::extract_text(path, kind, k_limit, limits));
  return 0;
}
