// Every namespace the Jingle layer speaks, in one place (PROTOCOL.md, Namespaces).
export const NS = {
  jingle: 'urn:xmpp:jingle:1',
  jingleErrors: 'urn:xmpp:jingle:errors:1',
  rtp: 'urn:xmpp:jingle:apps:rtp:1',
  rtpInfo: 'urn:xmpp:jingle:apps:rtp:info:1',
  /** Jingle Lab's screen-share notice (session-info), sent only to peers that advertise it. */
  screenShare: 'urn:x-jingle-lab:screen-share:0',
  rtpAudio: 'urn:xmpp:jingle:apps:rtp:audio',
  rtpVideo: 'urn:xmpp:jingle:apps:rtp:video',
  rtcpFb: 'urn:xmpp:jingle:apps:rtp:rtcp-fb:0',
  rtpHdrext: 'urn:xmpp:jingle:apps:rtp:rtp-hdrext:0',
  ssma: 'urn:xmpp:jingle:apps:rtp:ssma:0',
  /** StanzaJS's own <stream id track/> in <description/>: the msid, where it has no XEP. */
  rtpMsid: 'urn:xmpp:jingle:apps:rtp:msid:0',
  iceUdp: 'urn:xmpp:jingle:transports:ice-udp:1',
  dtls: 'urn:xmpp:jingle:apps:dtls:0',
  grouping: 'urn:xmpp:jingle:apps:grouping:0',
  jingleMessage: 'urn:xmpp:jingle-message:0',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
} as const;
