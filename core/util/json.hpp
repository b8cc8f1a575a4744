// A small JSON value for output (stable key order as inserted) and its
// serialisation; and the one form setevoe reads back itself, an array of
// strings (the multi-valued fields of records).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace setevoe::util {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() : m_v(nullptr) {}
  Json(std::nullptr_t) : m_v(nullptr) {}
  Json(bool b) : m_v(b) {}
  Json(int i) : m_v(static_cast<std::int64_t>(i)) {}
  Json(std::int64_t i) : m_v(i) {}
  // A number that is not whole (a median, a share); NaN and infinities are
  // written as null, which JSON has instead.
  Json(double d) : m_v(d) {}
  Json(std::string s) : m_v(std::move(s)) {}
  Json(const char* s) : m_v(std::string(s)) {}
  Json(std::string_view s) : m_v(std::string(s)) {}
  Json(const std::optional<std::string>& s) : m_v(nullptr) {
    if (s) m_v = *s;
  }
  Json(Array a) : m_v(std::move(a)) {}
  Json(Object o) : m_v(std::move(o)) {}

  static Json object() { return Json(Object{}); }
  static Json array() { return Json(Array{}); }

  // Sets a key (objects: replaced in place when present, else appended) or
  // appends an element (arrays); returns *this.
  Json& set(std::string key, Json value);
  Json& push(Json value);

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(m_v); }
  // The value of a key of an object; nullptr when absent or not an object.
  const Json* find(std::string_view key) const;
  // Text form for tables and CSV: strings as they are, numbers in decimal,
  // null as "", arrays joined with ", ".
  std::string text() const;

  // Serialises; indent 0 gives one line.
  std::string dump(int indent = 2) const;

 private:
  void dump_to(std::string& out, int indent, int depth) const;
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> m_v;
};

// s as a JSON string literal, with quotes.
std::string json_quote(std::string_view s);

// The strings of a JSON array of strings (["a","b\u00e9"]), as
// core::json_array writes them; nothing when it is anything else. Lists of
// thousands of records read them without a query each.
std::optional<std::vector<std::string>> parse_string_array(std::string_view json);

}  // namespace setevoe::util
