#include "sim/server/frame.h"

namespace vpcsim::server {

std::array<unsigned char, kFrameHeaderBytes> frame_header(std::uint32_t length) {
  return {static_cast<unsigned char>(length >> 24), static_cast<unsigned char>(length >> 16),
          static_cast<unsigned char>(length >> 8), static_cast<unsigned char>(length)};
}

std::uint32_t frame_length(const unsigned char* header) {
  return (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) | (std::uint32_t{header[2]} << 8) |
         std::uint32_t{header[3]};
}

std::string encode_frame(const google::protobuf::MessageLite& m) {
  const std::size_t size = m.ByteSizeLong();
  std::string out(kFrameHeaderBytes + size, '\0');
  const auto header = frame_header(static_cast<std::uint32_t>(size));
  std::copy(header.begin(), header.end(), out.begin());
  m.SerializeWithCachedSizesToArray(reinterpret_cast<std::uint8_t*>(out.data() + kFrameHeaderBytes));
  return out;
}

Frame make_frame(const google::protobuf::MessageLite& m) {
  return std::make_shared<const std::string>(encode_frame(m));
}

}  // namespace vpcsim::server
