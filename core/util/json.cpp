// JSON output values.
#include "core/util/json.hpp"

#include <cmath>

#include <utf8proc.h>

#include <fmt/format.h>

namespace setevoe::util {

Json& Json::set(std::string key, Json value) {
  auto& o = std::get<Object>(m_v);
  for (auto& [k, v] : o)
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  o.emplace_back(std::move(key), std::move(value));
  return *this;
}

Json& Json::push(Json value) {
  std::get<Array>(m_v).push_back(std::move(value));
  return *this;
}

const Json* Json::find(std::string_view key) const {
  if (auto o = std::get_if<Object>(&m_v))
    for (const auto& [k, v] : *o)
      if (k == key) return &v;
  return nullptr;
}

std::string Json::text() const {
  if (auto s = std::get_if<std::string>(&m_v)) return *s;
  if (auto i = std::get_if<std::int64_t>(&m_v)) return std::to_string(*i);
  if (auto d = std::get_if<double>(&m_v)) return std::isfinite(*d) ? fmt::format("{}", *d) : std::string();
  if (auto b = std::get_if<bool>(&m_v)) return *b ? "true" : "false";
  if (auto a = std::get_if<Array>(&m_v)) {
    std::string out;
    for (const auto& e : *a) out += (out.empty() ? "" : ", ") + e.text();
    return out;
  }
  if (std::holds_alternative<Object>(m_v)) return dump(0);
  return {};
}

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

std::string Json::dump(int indent) const {
  std::string out;
  dump_to(out, indent, 0);
  return out;
}

void Json::dump_to(std::string& out, int indent, int depth) const {
  auto newline = [&](int d) {
    if (indent > 0) {
      out.push_back('\n');
      out.append(static_cast<std::size_t>(indent * d), ' ');
    }
  };
  if (std::holds_alternative<std::nullptr_t>(m_v))
    out += "null";
  else if (auto b = std::get_if<bool>(&m_v))
    out += *b ? "true" : "false";
  else if (auto i = std::get_if<std::int64_t>(&m_v))
    out += std::to_string(*i);
  else if (auto d = std::get_if<double>(&m_v))
    out += std::isfinite(*d) ? fmt::format("{}", *d) : "null";
  else if (auto s = std::get_if<std::string>(&m_v))
    out += json_quote(*s);
  else if (auto a = std::get_if<Array>(&m_v)) {
    if (a->empty()) {
      out += "[]";
      return;
    }
    out.push_back('[');
    for (std::size_t k = 0; k < a->size(); ++k) {
      if (k) out.push_back(',');
      newline(depth + 1);
      (*a)[k].dump_to(out, indent, depth + 1);
    }
    newline(depth);
    out.push_back(']');
  } else if (auto o = std::get_if<Object>(&m_v)) {
    if (o->empty()) {
      out += "{}";
      return;
    }
    out.push_back('{');
    for (std::size_t k = 0; k < o->size(); ++k) {
      if (k) out.push_back(',');
      newline(depth + 1);
      out += json_quote((*o)[k].first);
      out += indent > 0 ? ": " : ":";
      (*o)[k].second.dump_to(out, indent, depth + 1);
    }
    newline(depth);
    out.push_back('}');
  }
}

std::optional<std::vector<std::string>> parse_string_array(std::string_view j) {
  std::size_t i = 0;
  auto space = [&] {
    while (i < j.size() && (j[i] == ' ' || j[i] == '\n' || j[i] == '\r' || j[i] == '\t')) ++i;
  };
  auto hex4 = [&](std::uint32_t& out) {
    if (i + 4 > j.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      char c = j[i++];
      out <<= 4;
      if (c >= '0' && c <= '9')
        out |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        out |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        out |= static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  };
  std::vector<std::string> out;
  space();
  if (i >= j.size() || j[i++] != '[') return std::nullopt;
  space();
  if (i < j.size() && j[i] == ']') {
    ++i;
    space();
    return i == j.size() ? std::optional(out) : std::nullopt;
  }
  while (true) {
    space();
    if (i >= j.size() || j[i++] != '"') return std::nullopt;
    std::string s;
    while (true) {
      if (i >= j.size()) return std::nullopt;
      char c = j[i++];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        s += c;
        continue;
      }
      if (i >= j.size()) return std::nullopt;
      char e = j[i++];
      switch (e) {
        case '"':
          s += '"';
          break;
        case '\\':
          s += '\\';
          break;
        case '/':
          s += '/';
          break;
        case 'b':
          s += '\b';
          break;
        case 'f':
          s += '\f';
          break;
        case 'n':
          s += '\n';
          break;
        case 'r':
          s += '\r';
          break;
        case 't':
          s += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return std::nullopt;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
            std::uint32_t low = 0;
            if (i + 2 > j.size() || j[i] != '\\' || j[i + 1] != 'u') return std::nullopt;
            i += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return std::nullopt;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return std::nullopt;
          }
          utf8proc_uint8_t buf[4];
          s.append(reinterpret_cast<const char*>(buf),
                   static_cast<std::size_t>(utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf)));
          break;
        }
        default:
          return std::nullopt;
      }
    }
    out.push_back(std::move(s));
    space();
    if (i >= j.size()) return std::nullopt;
    char c = j[i++];
    if (c == ']') break;
    if (c != ',') return std::nullopt;
  }
  space();
  if (i != j.size()) return std::nullopt;
  return out;
}

}  // namespace setevoe::util
