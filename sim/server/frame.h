// Framing of the server protocol: a 4-byte big-endian length, then that many bytes of one
// serialized protobuf message (proto/server.proto). Shared by the server, the client API and
// the tests.
#pragma once

#include <google/protobuf/message_lite.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace vpcsim::server {

inline constexpr std::size_t kFrameHeaderBytes = 4;
// The largest Request the server accepts by default (an inline scenario with thousands of
// rules fits); `vpcsim serve --max-frame` changes it.
inline constexpr std::uint32_t kDefaultMaxFrameBytes = 4u << 20;
// What a client accepts from a server: results with many rule hits are larger than requests.
inline constexpr std::uint32_t kClientMaxFrameBytes = 64u << 20;
inline constexpr std::uint32_t kProtocolVersion = 1;

// One encoded frame, shared by every connection it is queued on.
using Frame = std::shared_ptr<const std::string>;

std::array<unsigned char, kFrameHeaderBytes> frame_header(std::uint32_t length);
std::uint32_t frame_length(const unsigned char* header);
// Header and body in one string.
std::string encode_frame(const google::protobuf::MessageLite& m);
Frame make_frame(const google::protobuf::MessageLite& m);

}  // namespace vpcsim::server
