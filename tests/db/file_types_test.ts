import assert from "node:assert/strict";
import { imageInfo } from "../../db/file_types.ts";
import { DOT_PNG, gifHeader, jpegHeader, pngHeader, webpHeader } from "../fixtures/images.ts";

Deno.test("image sizes are read from each format's own header", () => {
  assert.deepEqual(imageInfo(pngHeader(640, 480)), { type: "image/png", width: 640, height: 480 });
  assert.deepEqual(imageInfo(DOT_PNG), { type: "image/png", width: 1, height: 1 });
  assert.deepEqual(imageInfo(gifHeader(300, 2)), { type: "image/gif", width: 300, height: 2 });
  assert.deepEqual(imageInfo(jpegHeader(1024, 768)), {
    type: "image/jpeg",
    width: 1024,
    height: 768,
  });
  for (const kind of ["VP8 ", "VP8L", "VP8X"] as const) {
    assert.deepEqual(imageInfo(webpHeader(kind, 321, 123)), {
      type: "image/webp",
      width: 321,
      height: 123,
    }, kind);
  }
});

Deno.test("what is not one of the four images, whatever it is called, is no image", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  assert.equal(imageInfo(text("<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>")), null);
  assert.equal(imageInfo(text("<!doctype html><script>alert(1)</script>")), null);
  assert.equal(imageInfo(new Uint8Array()), null);
  assert.equal(imageInfo(pngHeader(640, 480).subarray(0, 20)), null, "a cut header");
  assert.equal(imageInfo(pngHeader(0, 10)), null, "no pixels");
  assert.equal(imageInfo(pngHeader(100_000, 10)), null, "a side too large to be real");
  assert.equal(imageInfo(new Uint8Array([0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0, 0, 0, 0])), null);
});
