/** Implementation of the client library; not API, may change in any release. */
package dev.polyrun.client.internal;
