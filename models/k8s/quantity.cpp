#include "models/k8s/quantity.hpp"

#include <boost/multiprecision/cpp_int.hpp>
#include <limits>

namespace azsim::k8s {

namespace {

// Exact arithmetic while scaling: a mantissa of up to 2^104 (31 significant digits are kept)
// times a suffix of up to 2^60, then powers of ten until the range check, fits in 256 bits;
// `checked` makes an overflow an exception rather than a wrong value should that bound break.
using Wide = boost::multiprecision::checked_int256_t;

QuantityParse bad(std::string_view text, const char* why) {
  QuantityParse r;
  r.error = "\"";
  r.error += text;
  r.error += "\" is not a Kubernetes quantity: ";
  r.error += why;
  return r;
}

}  // namespace

QuantityParse parse_quantity(std::string_view text) {
  std::string_view s = text;
  if (s.empty()) return bad(text, "empty string");
  bool neg = false;
  if (s.front() == '+' || s.front() == '-') {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  Wide mant = 0;
  int scale10 = 0;  // mant * 10^scale10
  bool digits = false;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    digits = true;
    if (mant < (Wide{1} << 100)) mant = mant * 10 + (s[i] - '0'); else ++scale10;
  }
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      digits = true;
      if (mant < (Wide{1} << 100)) { mant = mant * 10 + (s[i] - '0'); --scale10; }
    }
  }
  if (!digits) return bad(text, "missing number");
  std::string_view suf = s.substr(i);
  Wide mul_num = 1, mul_den = 1;
  auto pow10 = [](int e) { Wide v = 1; for (int k = 0; k < e; ++k) v *= 10; return v; };
  if (suf.empty()) {
  } else if (suf == "Ki") mul_num = Wide{1} << 10;
  else if (suf == "Mi") mul_num = Wide{1} << 20;
  else if (suf == "Gi") mul_num = Wide{1} << 30;
  else if (suf == "Ti") mul_num = Wide{1} << 40;
  else if (suf == "Pi") mul_num = Wide{1} << 50;
  else if (suf == "Ei") mul_num = Wide{1} << 60;
  else if (suf == "n") mul_den = pow10(9);
  else if (suf == "u") mul_den = pow10(6);
  else if (suf == "m") mul_den = pow10(3);
  else if (suf == "k") mul_num = pow10(3);
  else if (suf == "M") mul_num = pow10(6);
  else if (suf == "G") mul_num = pow10(9);
  else if (suf == "T") mul_num = pow10(12);
  else if (suf == "P") mul_num = pow10(15);
  else if (suf == "E") mul_num = pow10(18);
  else if (suf.front() == 'e' || suf.front() == 'E') {
    std::string_view e = suf.substr(1);
    bool eneg = false;
    if (!e.empty() && (e.front() == '-' || e.front() == '+')) { eneg = e.front() == '-'; e.remove_prefix(1); }
    if (e.empty() || e.size() > 3) return bad(text, "bad exponent");
    int ev = 0;
    for (char c : e) {
      if (c < '0' || c > '9') return bad(text, "bad exponent");
      ev = ev * 10 + (c - '0');
    }
    scale10 += eneg ? -ev : ev;
  } else {
    return bad(text, "unknown suffix (use Ki Mi Gi Ti Pi Ei, m k M G T P E, or an exponent)");
  }
  // milli = mant * 10^scale10 * mul_num / mul_den * 1000, rounded up.
  scale10 += 3;
  Wide num = mant * mul_num, den = mul_den;
  const Wide limit = std::numeric_limits<std::int64_t>::max();
  while (scale10 > 0) {
    num *= 10;
    --scale10;
    if (num > limit * den) return bad(text, "too large");
  }
  while (scale10 < 0) { den *= 10; ++scale10; if (den > (Wide{1} << 100)) { num = num > 0 ? 1 : 0; den = 1; break; } }
  if (num / den > limit) return bad(text, "too large");
  Wide v = num / den + (num % den != 0 ? 1 : 0);
  QuantityParse r;
  r.ok = true;
  r.milli = (neg ? -v : v).convert_to<std::int64_t>();
  return r;
}

std::string format_bytes(std::int64_t bytes) {
  static constexpr const char* kSuffix[] = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
  for (int k = 0; k < 6; ++k) {
    const std::int64_t unit = std::int64_t{1} << (10 * (6 - k));
    if (bytes != 0 && bytes % unit == 0) return std::to_string(bytes / unit) + kSuffix[k];
  }
  return std::to_string(bytes);
}

std::string format_millicores(std::int64_t milli) {
  if (milli % 1000 == 0) return std::to_string(milli / 1000);
  return std::to_string(milli) + "m";
}

}  // namespace azsim::k8s
