// A test program, not part of setevoe: prints what core::extract_text gives
// for a file, so that the interop tests can check it on documents made by
// real office programs (tests/interop/test_extract_office.py).
//
//   extract_text_tool FILE KIND [LIMIT]
//
// KIND is docx, odt, pptx, odp, pdf, text, html, or auto (by the file's
// name). Prints one JSON object: {"text": …, "truncated": …, "problem": …}.
#include <cstdio>
#include <iostream>
#include <string>

#include "core/extract.hpp"
#include "core/util/json.hpp"

using namespace setevoe;

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: extract_text_tool FILE docx|odt|pptx|odp|pdf|text|html|auto [LIMIT]\n";
    return 64;
  }
  std::string kind_name = argv[2];
  core::DocKind kind = core::DocKind::none;
  if (kind_name == "auto")
    kind = core::document_kind(argv[1]);
  else if (kind_name == "text")
    kind = core::DocKind::text;
  else  // the others are extensions too
    kind = core::document_kind("file." + kind_name);
  if (kind == core::DocKind::none && kind_name != "auto") {
    std::cerr << "extract_text_tool: unknown kind " << kind_name << "\n";
    return 64;
  }
  std::size_t limit = 1 << 20;
  if (argc == 4) limit = std::stoull(argv[3]);
  auto r = core::extract_text(argv[1], kind, limit);
  auto out = util::Json::object();
  out.set("text", r.text).set("truncated", r.truncated).set("problem", r.problem);
  std::cout << out.dump(0) << "\n";
  return 0;
}
