// AxmlExtractor: Android binary XML (AndroidManifest.xml, res/xml/*.xml inside an
// APK) as one segmented child of labelled attribute values.
//
// aapt writes the manifest's strings as UTF-16LE, so a raw scan misses
// <meta-data android:name="com.google.android.geo.API_KEY" android:value="AIza…"/>.
// This parses the string pool and the element tree and labels each value with where
// it sits ("meta-data com.google.android.geo.API_KEY", "provider@authorities").
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

std::unique_ptr<Extractor> NewAxmlExtractor();

}  // namespace leakproof::scanner
