/**
 * Java client of a polyrun cluster: submit programs, stream what they print and their verdict, read
 * and cancel jobs, list languages.
 *
 * <p>Start with {@link dev.polyrun.client.PolyrunClient#connect(String)}. Requests, events and
 * results are the generated messages of the {@code polyrun.v1} contract ({@code
 * dev.polyrun.proto.v1}). Failures of the request or the service are unchecked {@link
 * dev.polyrun.client.PolyrunException}s, split by whether a retry can help; a program that fails is
 * not an exception but a {@code Result} with a verdict.
 */
package dev.polyrun.client;
